// Decodificación estricta de los documentos que el dispositivo lee (§10), espejo de
// vmre_crypto.serializacion: mismos tipos, mismo orden de comprobación y mismos códigos.
//   - un objeto con un campo desconocido → campo_desconocido (el primero en orden);
//   - un campo que falta → campo_faltante, en el orden de los campos del esquema;
//   - hexadecimal no canónico → formato_invalido; fuera de Z_q o de 1..p−1 → fuera_de_rango_q/_p;
//   - enteros fuera de 0..2^32−1 → formato_invalido; tipos equivocados → tipo_invalido;
//   - al final, la pertenencia al subgrupo de cada elemento de Z_p^r (V-G2), nombrando su campo.
// Cada error lleva en `detalles.campo` la ruta del campo (p. ej. "contiendas[0].selecciones[2].cifrado.alfa").

import { ErrorVmre } from "./errores.js";
import { BYTES_P, BYTES_Q, P, Q, esMiembro } from "./grupo.js";
import { hexABytes } from "./bytes.js";

export const VERSION = "vmre-1.0";

export function exigir(condicion, codigo, mensaje, detalles = {}) {
  if (!condicion) throw new ErrorVmre(codigo, mensaje, detalles);
}

// -- esquemas (los campos de cada dataclass de vmre_crypto, en su orden) ---------------------------
export const T = Object.freeze({ P: "P", Q: "Q", BYTES: "bytes", ENTERO: "int", TEXTO: "str" });
const lista = (tipo) => ({ lista: tipo });
const nulo = (tipo) => ({ nulo: tipo });
const objeto = (...campos) => ({ objeto: campos });

const PRUEBA_RANGO = objeto(["retos", lista(T.Q)], ["respuestas", lista(T.Q)]);
const CIFRADO = objeto(["alfa", T.P], ["beta", T.P]);
export const ESQUEMAS = Object.freeze({
  boleta_cifrada: objeto(
    ["id_boleta", T.TEXTO],
    ["estilo", T.TEXTO],
    [
      "contiendas",
      lista(
        objeto(
          ["indice", T.ENTERO],
          ["selecciones", lista(objeto(["cifrado", CIFRADO], ["prueba", PRUEBA_RANGO]))],
          ["prueba_limite", PRUEBA_RANGO],
          ["hash_contienda", T.BYTES],
        ),
      ),
    ],
    ["codigo_confirmacion", T.BYTES],
    ["credencial", nulo(T.P)],
    ["firma", nulo(objeto(["reto", T.Q], ["respuesta", T.Q]))],
  ),
  apertura_boleta: objeto(["id_boleta", T.TEXTO], ["nonce_boleta", T.BYTES]),
  contexto_eleccion: objeto(
    [
      "configuracion",
      objeto(
        ["custodios", T.ENTERO],
        ["cuorum", T.ENTERO],
        ["fecha", T.TEXTO],
        ["info", T.TEXTO],
        [
          "manifiesto",
          objeto(
            ["etiqueta", T.TEXTO],
            [
              "contiendas",
              lista(
                objeto(
                  ["indice", T.ENTERO],
                  ["etiqueta", T.TEXTO],
                  ["limite_seleccion", T.ENTERO],
                  ["opciones", lista(objeto(["indice", T.ENTERO], ["etiqueta", T.TEXTO]))],
                ),
              ),
            ],
            ["estilos", lista(objeto(["identificador", T.TEXTO], ["contiendas", lista(T.ENTERO)]))],
          ),
        ],
      ),
    ],
    ["llave", T.P],
    ["h_p", T.BYTES],
    ["h_b", T.BYTES],
    ["h_e", T.BYTES],
  ),
});

// -- decodificador -----------------------------------------------------------------------------------
const HEX = /^[0-9A-F]*$/;
const esObjeto = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

class Decodificador {
  constructor() {
    this.pendientes = []; // [ruta, x] de cada elemento de Z_p^r, para V-G2 al final
  }

  error(codigo, mensaje, ruta) {
    return new ErrorVmre(codigo, mensaje, { campo: ruta || "(raíz)" });
  }

  valor(tipo, dato, ruta) {
    if (tipo.nulo !== undefined) return dato === null ? null : this.valor(tipo.nulo, dato, ruta);
    if (tipo === T.P || tipo === T.Q) {
      const largo = 2 * (tipo === T.P ? BYTES_P : BYTES_Q);
      if (typeof dato !== "string" || dato.length !== largo || !HEX.test(dato)) {
        throw this.error("formato_invalido", `Se esperaba hexadecimal en mayúsculas de ${largo} dígitos.`, ruta);
      }
      const x = BigInt("0x" + dato);
      if (tipo === T.Q) {
        if (x >= Q) throw this.error("fuera_de_rango_q", "El valor no está en 0..q−1.", ruta);
        return x;
      }
      if (!(x > 0n && x < P)) throw this.error("fuera_de_rango_p", "El valor no está en 1..p−1.", ruta);
      this.pendientes.push([ruta, x]);
      return x;
    }
    if (tipo === T.BYTES) {
      if (typeof dato !== "string" || dato.length % 2 !== 0 || !HEX.test(dato)) {
        throw this.error("formato_invalido", "Se esperaban bytes en hexadecimal en mayúsculas.", ruta);
      }
      return hexABytes(dato);
    }
    if (tipo === T.ENTERO) {
      if (typeof dato !== "number" || !Number.isInteger(dato)) throw this.error("tipo_invalido", "Se esperaba un entero.", ruta);
      if (dato < 0 || dato >= 2 ** 32) throw this.error("formato_invalido", "El entero no está en 0..2^32−1.", ruta);
      return dato;
    }
    if (tipo === T.TEXTO) {
      if (typeof dato !== "string") throw this.error("tipo_invalido", "Se esperaba una cadena.", ruta);
      return dato;
    }
    if (tipo.lista !== undefined) {
      if (!Array.isArray(dato)) throw this.error("tipo_invalido", "Se esperaba una lista.", ruta);
      return dato.map((x, i) => this.valor(tipo.lista, x, `${ruta}[${i}]`));
    }
    return this.objeto(tipo.objeto, dato, ruta);
  }

  objeto(campos, dato, ruta) {
    if (!esObjeto(dato)) throw this.error("tipo_invalido", "Se esperaba un objeto JSON.", ruta);
    const nombres = new Set(campos.map(([n]) => n));
    const sobrantes = Object.keys(dato).filter((k) => !nombres.has(k)).sort(compararPuntosDeCodigo);
    if (sobrantes.length) throw this.error("campo_desconocido", `Campo desconocido: «${sobrantes[0]}».`, ruta);
    const salida = {};
    for (const [nombre, tipo] of campos) {
      const sub = ruta ? `${ruta}.${nombre}` : nombre;
      if (!Object.hasOwn(dato, nombre)) throw this.error("campo_faltante", `Falta el campo «${nombre}».`, sub);
      salida[nombre] = this.valor(tipo, dato[nombre], sub);
    }
    return salida;
  }

  comprobarPertenencia() {
    for (const [ruta, x] of this.pendientes) {
      if (!esMiembro(x)) throw this.error("no_es_miembro_subgrupo", "El valor no pertenece al subgrupo de orden q.", ruta);
    }
  }
}

/** Orden por punto de código Unicode (§10.2), no por unidades UTF-16 como `Array.prototype.sort`. */
export function compararPuntosDeCodigo(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/**
 * Inversa de `serializar` para el `tipo` dado (§10): versión, tipo, campos exactos, valores en rango
 * y V-G2.  Devuelve los campos decodificados (enteros como BigInt, bytes como Uint8Array).
 */
export function leerDocumento(doc, tipo) {
  exigir(esObjeto(doc), "tipo_invalido", "El documento debe ser un objeto JSON.");
  const { version, tipo: tipoDoc, ...resto } = doc;
  exigir(version === VERSION, "version_no_soportada", `Versión de especificación no soportada: ${version}.`, { campo: "version" });
  exigir(tipoDoc === tipo, "tipo_invalido", `Se esperaba un documento de tipo «${tipo}».`, { campo: "tipo" });
  const decodificador = new Decodificador();
  const salida = decodificador.valor(ESQUEMAS[tipo], resto, "");
  decodificador.comprobarPertenencia();
  return salida;
}
