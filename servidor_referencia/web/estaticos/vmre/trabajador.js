// Web Worker de la cabina (23.8): valida el contexto, construye las tablas de base fija, cifra,
// prueba y firma fuera del hilo de la página, que sigue respondiendo.  Guarda solo lo necesario
// para un desafío: ξ_B de la última boleta cifrada, que se revela al desafiar o se borra al depositar.
// La credencial secreta vive solo aquí y solo mientras dura el cifrado.

import { ErrorVmre } from "./errores.js";
import { contextoDesdeJson } from "./contexto.js";
import { leerCredencial } from "./credencial.js";
import { abrirBoleta, aperturaJson, cifrarBoleta } from "./boleta.js";

let contexto = null;
let ultima = null; // { idBoleta, nonceBoleta }

const ahora = () => performance.now();

function olvidar() {
  if (ultima !== null) ultima.nonceBoleta.fill(0);
  ultima = null;
}

function exigirContexto() {
  if (contexto === null) throw new ErrorVmre("contexto_invalido", "La cabina aún no recibe el contexto de la elección.");
  return contexto;
}

function cifrar(mensaje, guardar) {
  const ctx = exigirContexto();
  const t0 = ahora();
  const credencial = leerCredencial(mensaje.credencial);
  const t1 = ahora();
  const r = cifrarBoleta(ctx, mensaje.estilo, mensaje.marcas, credencial);
  const t2 = ahora();
  credencial.secreta = 0n; // la referencia se suelta aquí; el texto llegó por mensaje y no se guarda
  if (guardar) {
    olvidar();
    ultima = { idBoleta: r.boleta.id_boleta, nonceBoleta: r.nonceBoleta };
  } else {
    r.nonceBoleta.fill(0);
  }
  return { boleta: r.boleta, codigo: r.codigo, id_boleta: r.boleta.id_boleta, ms: { credencial: t1 - t0, cifrado: t2 - t1 } };
}

const ordenes = {
  preparar(mensaje) {
    const t0 = ahora();
    const nuevo = contextoDesdeJson(mensaje.contexto);
    const t1 = ahora();
    nuevo.prepararTablas();
    const t2 = ahora();
    contexto = nuevo;
    olvidar();
    const h_e = Array.from(nuevo.h_e, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
    return { h_e, ms: { contexto: t1 - t0, tablas: t2 - t1 } };
  },
  credencial(mensaje) {
    // Solo comprueba el texto (CRC-24 y rango, (17.10)) para avisar de un error de copia al
    // escribirla; no guarda nada.
    leerCredencial(mensaje.credencial);
    return {};
  },
  cifrar: (mensaje) => cifrar(mensaje, true),
  medir: (mensaje) => cifrar(mensaje, false),
  desafiar() {
    if (ultima === null) throw new ErrorVmre("apertura_invalida", "No hay una boleta cifrada que desafiar.");
    const apertura = aperturaJson(ultima.idBoleta, ultima.nonceBoleta);
    olvidar();
    return { apertura };
  },
  abrir(mensaje) {
    const t0 = ahora();
    const selecciones = abrirBoleta(exigirContexto(), mensaje.boleta, mensaje.apertura);
    return { selecciones, ms: { apertura: ahora() - t0 } };
  },
  olvidar() {
    olvidar();
    return {};
  },
};

self.addEventListener("message", (evento) => {
  const mensaje = evento.data ?? {};
  const { id, orden } = mensaje;
  try {
    const accion = ordenes[orden];
    if (!accion) throw new ErrorVmre("parametro_invalido", `Orden desconocida: ${orden}.`);
    self.postMessage({ id, orden, ok: true, ...accion(mensaje) });
  } catch (e) {
    const error = e instanceof ErrorVmre ? e.comoObjeto() : { codigo: "error_interno", mensaje: "Error inesperado en la cabina." };
    self.postMessage({ id, orden, ok: false, error });
  }
});
