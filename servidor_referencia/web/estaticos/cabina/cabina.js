// Cabina de votación web (§24).  Controla la página /sivei/votar/<p>: pide la boleta, prepara el
// cifrado en el Web Worker de la biblioteca (§23), recibe la credencial y las marcas, muestra la
// revisión y el código de confirmación, y deposita o desafía.
//
// (24.5) La credencial secreta y las marcas en claro nunca salen del navegador: no hay ningún
// formulario que las envíe; al servidor solo van la boleta cifrada y, al desafiar, su apertura.

import { Boleta } from "./boleta.js";
import { CanalTrabajador } from "./canal.js";
import { revisarFormaCredencial } from "./credencial.js";
import { agruparHex, descargarJson, el, mostrarCodigo } from "./formato.js";
import { ErrorCabina, Servidor, esSesionVencida } from "./servidor.js";

/** Paso de la página → elemento del indicador de pasos. */
const INDICADOR = {
  credencial: "credencial",
  boleta: "boleta",
  revision: "revision",
  codigo: "codigo",
  recibo: "final",
  desafio: "final",
};
const ERRORES_CREDENCIAL = new Set(["formato_invalido", "fuera_de_rango_q", "tipo_invalido", "credencial_invalida"]);
const ERRORES_MARCAS = new Set(["seleccion_invalida", "limite_excedido", "boleta_no_corresponde_al_manifiesto"]);

const $ = (id) => document.getElementById(id);

class Cabina {
  constructor(raiz) {
    this.raiz = raiz;
    this.cfg = raiz.dataset;
    const meta = document.querySelector('meta[name="vmre-csrf"]');
    this.servidor = new Servidor({
      csrf: meta ? meta.content : "",
      cabecera: this.cfg.cabeceraCsrf || "X-CSRF-Token",
      alVencer: () => this.vencer(),
    });
    this.canal = null;
    this.datos = null;
    this.boleta = null;
    this.cifrada = null; // {boleta, codigo, id}: la última boleta cifrada, aún sin depositar ni desafiar
    this.marcasCifradas = null;
    this.credencial = "";
    this.recibo = null;
    this.vencida = false;
  }

  async iniciar() {
    this.conectar();
    const segundos = Number(this.cfg.sesionS || 0);
    if (segundos > 0) setTimeout(() => this.vencer(), segundos * 1000);
    this.anunciar("Cargando su boleta…");
    try {
      this.datos = await this.servidor.obtener(this.cfg.boleta);
    } catch (e) {
      $("cabina-preparacion").hidden = true;
      if (!esSesionVencida(e)) this.fallo(e);
      return;
    }
    if (this.datos.ya_voto) {
      window.location.reload(); // la página dice que ya votó (y no carga la cabina)
      return;
    }
    this.boleta = new Boleta($("boleta-contiendas"), this.datos.contiendas, this.datos.especiales);
    try {
      this.canal = new CanalTrabajador(this.cfg.trabajador);
    } catch {
      this.fallo(new ErrorCabina("trabajador_no_disponible", "Este navegador no puede cifrar la boleta."));
      return;
    }
    this.listo = this.preparar();
    this.listo.catch(() => {}); // el error ya se mostró; quien espere `listo` lo vuelve a ver
    this.mostrar("credencial");
    this.anunciar("Boleta cargada. Escriba su credencial de votación.");
  }

  conectar() {
    $("boton-credencial").addEventListener("click", () => this.continuarCredencial());
    $("credencial").addEventListener("keydown", (evento) => {
      if (evento.key === "Enter") {
        evento.preventDefault();
        this.continuarCredencial();
      }
    });
    $("boton-volver-credencial").addEventListener("click", () => this.mostrar("credencial"));
    $("boton-revisar").addEventListener("click", () => this.revisar());
    $("boton-corregir").addEventListener("click", () => this.mostrar("boleta"));
    $("boton-cifrar").addEventListener("click", () => this.cifrar());
    $("boton-depositar").addEventListener("click", () => this.depositar());
    $("boton-desafiar").addEventListener("click", () => this.desafiar());
    $("boton-descargar").addEventListener("click", () => this.descargar());
    $("boton-otra-vez").addEventListener("click", () => this.votarOtraVez());
    // (24.5) Al cerrar o dejar la página, el trabajador olvida ξ_B y la credencial.
    window.addEventListener("pagehide", () => this.cerrarTrabajador());
  }

  // ------------------------------------------------------------ preparación del cifrado

  async preparar() {
    const texto = $("cabina-progreso-texto");
    const progreso = $("cabina-progreso");
    try {
      const r = await this.canal.pedir("preparar", { contexto: this.datos.contexto });
      if (String(r.h_e).toUpperCase() !== String(this.datos.h_e).toUpperCase()) {
        throw new ErrorCabina(
          "contexto_invalido",
          "El contexto de la elección no corresponde al H_E anunciado. No vote desde esta página y avise a la autoridad electoral.",
        );
      }
      progreso.max = 1;
      progreso.value = 1;
      texto.textContent = "Cifrado listo en su dispositivo.";
      $("cabina-progreso-ayuda").hidden = true;
      // (23.5) La huella que su navegador recalculó: la misma del acta de inicio (20.1).
      $("cabina-huella").textContent = agruparHex(String(r.h_e).toUpperCase());
      $("cabina-huella-bloque").hidden = false;
      this.raiz.dataset.listo = "1";
      return r;
    } catch (e) {
      $("cabina-preparacion").hidden = true;
      this.fallo(e);
      throw e;
    }
  }

  // ------------------------------------------------------------ pasos

  mostrar(paso) {
    this.anunciar("");
    for (const seccion of this.raiz.querySelectorAll(".cabina-paso")) seccion.hidden = seccion.id !== `paso-${paso}`;
    for (const item of this.raiz.querySelectorAll(".cabina-pasos li")) {
      if (item.dataset.paso === INDICADOR[paso]) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    }
    this.raiz.dataset.paso = paso;
    // (24.11) El foco va al encabezado del paso: el lector de pantalla lo anuncia y Tab sigue desde ahí.
    const titulo = $(`titulo-${paso}`);
    if (titulo) titulo.focus();
  }

  async continuarCredencial() {
    this.limpiarError();
    const campo = $("credencial");
    const boton = $("boton-credencial");
    const problema = revisarFormaCredencial(campo.value);
    if (problema) {
      this.errorCampo("credencial", problema);
      campo.focus();
      return;
    }
    // (24.5) El CRC-24 y el rango de x los comprueba la biblioteca en el trabajador (orden
    // «credencial», §23.8), que no guarda nada; un error de copia se explica aquí mismo.
    boton.disabled = true;
    try {
      await this.canal.pedir("credencial", { credencial: campo.value });
    } catch (e) {
      if (ERRORES_CREDENCIAL.has(e.codigo)) {
        this.errorCampo("credencial", `La credencial no es válida: ${e.mensaje} Revise que la copió sin errores.`);
        campo.focus();
      } else {
        this.fallo(e);
      }
      return;
    } finally {
      boton.disabled = false;
    }
    this.errorCampo("credencial", null);
    this.credencial = campo.value;
    this.mostrar("boleta");
  }

  revisar() {
    this.limpiarError();
    const problemas = this.boleta.problemas();
    if (problemas.length) {
      this.errorCampo("boleta", problemas.join(" "));
      return;
    }
    this.errorCampo("boleta", null);
    const lista = this.boleta.resumen().map((c) => {
      const bloque = el("div", { class: "cabina-revision-contienda" }, el("h3", { texto: c.etiqueta }));
      if (c.blanco) {
        const nulo = this.boleta.especial(c.indice).nulo !== null;
        bloque.append(
          el(
            "p",
            { class: "aviso aviso-info cabina-blanco" },
            "No marcó ninguna opción: su voto en esta contienda irá en blanco." +
              (nulo ? " Si quiere anularlo, pulse «Corregir» y marque «Voto nulo»." : ""),
          ),
        );
      } else {
        const elegidas = el("ul", { class: "cabina-elegidas" });
        for (const etiqueta of c.elegidas) elegidas.append(el("li", { texto: etiqueta }));
        bloque.append(elegidas);
        if (c.nombreNoRegistrada) {
          bloque.append(
            el(
              "p",
              { class: "ayuda" },
              `Escribió el nombre «${c.nombreNoRegistrada}». Ese nombre no se envía: su voto cuenta como «Candidatura no registrada».`,
            ),
          );
        }
      }
      return bloque;
    });
    $("revision-lista").replaceChildren(...lista);
    this.mostrar("revision");
  }

  async cifrar() {
    this.limpiarError();
    this.ocupado(true);
    this.anunciar("Cifrando su boleta en este dispositivo…");
    try {
      await this.listo;
      const marcas = this.boleta.marcas();
      const r = await this.canal.pedir("cifrar", {
        estilo: this.datos.estilo,
        marcas,
        credencial: this.credencial,
      });
      this.cifrada = { boleta: r.boleta, codigo: String(r.codigo).toUpperCase(), id: r.id_boleta };
      this.marcasCifradas = marcas;
      mostrarCodigo($("codigo-confirmacion"), this.cifrada.codigo);
      this.raiz.dataset.codigo = this.cifrada.codigo;
      this.mostrar("codigo");
      this.anunciar("Boleta cifrada. Su código de confirmación está en pantalla.");
    } catch (e) {
      if (ERRORES_CREDENCIAL.has(e.codigo)) {
        this.mostrar("credencial");
        this.errorCampo("credencial", `La credencial no es válida: ${e.mensaje} Revise que la copió sin errores.`);
        this.anunciar("La credencial no es válida.");
      } else if (ERRORES_MARCAS.has(e.codigo)) {
        this.mostrar("boleta");
        this.errorCampo("boleta", e.mensaje);
      } else {
        this.fallo(e);
      }
    } finally {
      this.ocupado(false);
    }
  }

  async depositar() {
    if (!this.cifrada) return;
    this.limpiarError();
    this.ocupado(true);
    this.anunciar("Enviando su boleta cifrada…");
    try {
      const recibo = await this.servidor.enviar(this.cfg.depositar, { boleta: this.cifrada.boleta });
      await this.olvidarTodo();
      this.mostrarRecibo(recibo);
    } catch (e) {
      if (esSesionVencida(e)) return;
      if (e.codigo === "ya_voto") await this.olvidarTodo();
      this.fallo(e);
    } finally {
      this.ocupado(false);
    }
  }

  mostrarRecibo(recibo) {
    this.recibo = recibo;
    mostrarCodigo($("recibo-codigo"), recibo.codigo_confirmacion);
    $("recibo-posicion").textContent = String(recibo.posicion);
    $("recibo-tiempo").textContent = recibo.tiempo;
    $("recibo-cabeza").textContent = recibo.cabeza_tablero;
    const enlace = $("enlace-verificar");
    enlace.href = `${this.cfg.recibo}?codigo=${encodeURIComponent(recibo.codigo_confirmacion)}`;
    this.mostrar("recibo");
    this.anunciar("Su voto fue depositado. Descargue su recibo.");
  }

  /** (24.8) El recibo descargable: solo lo público de la boleta y del proceso. */
  descargar() {
    if (!this.recibo) return;
    const r = this.recibo;
    descargarJson(`recibo-vmre-${this.cfg.proceso}-${r.codigo_confirmacion.slice(0, 8)}.json`, {
      tipo: "recibo_cabina_vmre",
      version: 1,
      proceso: Number(this.cfg.proceso),
      h_e: this.datos.h_e,
      codigo_confirmacion: r.codigo_confirmacion,
      posicion: r.posicion,
      tiempo: r.tiempo,
      cabeza_tablero: r.cabeza_tablero,
    });
    this.anunciar("Recibo descargado.");
  }

  async desafiar() {
    if (!this.cifrada) return;
    this.limpiarError();
    this.ocupado(true);
    const { boleta } = this.cifrada;
    const marcadas = this.marcasCifradas;
    this.cifrada = null; // (24.12) una boleta desafiada ya no se puede depositar
    this.anunciar("Abriendo la boleta…");
    try {
      const { apertura } = await this.canal.pedir("desafiar");
      const [local, remoto] = await Promise.allSettled([
        this.canal.pedir("abrir", { boleta, apertura }),
        this.servidor.enviar(this.cfg.desafiar, { boleta, apertura }),
      ]);
      if (remoto.status === "rejected" && esSesionVencida(remoto.reason)) return;
      this.mostrarDesafio(marcadas, local, remoto);
    } catch (e) {
      // Sin apertura no hay desafío; esa boleta ya no se usa: se vuelve a la boleta para cifrar otra.
      if (!esSesionVencida(e)) {
        this.mostrar("boleta");
        this.fallo(e);
      }
    } finally {
      this.ocupado(false);
    }
  }

  mostrarDesafio(marcadas, local, remoto) {
    const contiendas = this.datos.contiendas;
    const abiertas = local.status === "fulfilled" ? local.value.selecciones : null;
    const servidor = remoto.status === "fulfilled" ? remoto.value.selecciones : null;
    const normal = (objeto, i) => (objeto && objeto[String(i)] ? [...objeto[String(i)]].map(Number).sort((a, b) => a - b) : []);
    const iguales = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);
    const texto = (i, lista) => (lista.length ? lista.map((o) => this.boleta.etiqueta(i, o)).join(", ") : "En blanco");
    let coincideLocal = abiertas !== null;
    let coincideServidor = servidor !== null;
    const filas = contiendas.map((c) => {
      const m = normal(marcadas, c.indice);
      const a = normal(abiertas, c.indice);
      const s = normal(servidor, c.indice);
      coincideLocal = coincideLocal && iguales(m, a);
      coincideServidor = coincideServidor && iguales(a, s);
      return el(
        "tr",
        { "data-contienda": c.indice },
        el("th", { scope: "row", texto: c.etiqueta }),
        el("td", { "data-etiqueta": "Usted marcó", texto: texto(c.indice, m) }),
        el("td", {
          class: "cabina-abierta-local",
          "data-etiqueta": "Abierta en su navegador",
          texto: abiertas ? texto(c.indice, a) : "No se pudo abrir",
        }),
        el("td", {
          class: "cabina-abierta-servidor",
          "data-etiqueta": "Abierta por el servidor",
          texto: servidor ? texto(c.indice, s) : "Sin respuesta",
        }),
      );
    });
    $("desafio-filas").replaceChildren(...filas);
    const veredicto = $("desafio-veredicto");
    if (coincideLocal && coincideServidor) {
      veredicto.className = "aviso aviso-ok";
      veredicto.textContent =
        "Coinciden: su navegador cifró exactamente lo que usted marcó, y el servidor abrió lo mismo. " +
        "Puede votar de nuevo con confianza.";
    } else {
      veredicto.className = "aviso aviso-error";
      const partes = [];
      if (local.status === "rejected") partes.push(`Su navegador no pudo abrir la boleta: ${local.reason.mensaje}`);
      else if (!coincideLocal) partes.push("¡La boleta abierta no contiene lo que usted marcó!");
      if (remoto.status === "rejected") {
        partes.push(`El servidor no aceptó el desafío: ${remoto.reason.mensaje} (código: ${remoto.reason.codigo}).`);
      } else if (!coincideServidor) {
        partes.push("El servidor abrió algo distinto de lo que abrió su navegador.");
      }
      partes.push("No deposite desde este dispositivo y avise a la autoridad electoral.");
      veredicto.textContent = partes.join(" ");
    }
    const recibo = remoto.status === "fulfilled" ? remoto.value : null;
    $("desafio-codigo").textContent = recibo ? agruparHex(recibo.codigo_confirmacion) : "—";
    $("desafio-posicion").textContent = recibo ? String(recibo.posicion) : "—";
    this.mostrar("desafio");
    this.anunciar(coincideLocal && coincideServidor ? "Desafío correcto: coincide con lo que marcó." : "El desafío no coincide.");
  }

  votarOtraVez() {
    this.limpiarError();
    this.mostrar("boleta");
    this.anunciar("Puede votar de nuevo: su boleta se cifrará otra vez, con un código nuevo.");
  }

  // ------------------------------------------------------------ olvido y sesión (24.5)

  async olvidarTodo() {
    try {
      await this.canal.pedir("olvidar");
    } catch {
      // Si el trabajador ya no responde, se cierra: con él se va lo que guardaba.
      this.cerrarTrabajador();
    }
    this.credencial = "";
    $("credencial").value = "";
    this.cifrada = null;
    this.marcasCifradas = null;
    if (this.boleta) this.boleta.borrar();
  }

  cerrarTrabajador() {
    if (this.canal) this.canal.cerrar();
    this.canal = null;
  }

  /** La sesión venció (401 o su hora): se olvida todo y se va al acceso, que regresa aquí. */
  vencer() {
    if (this.vencida) return;
    this.vencida = true;
    this.cerrarTrabajador();
    this.credencial = "";
    const campo = $("credencial");
    if (campo) campo.value = "";
    if (this.boleta) this.boleta.borrar();
    if (this.recibo) {
      // Ya depositó y ya no queda nada secreto: el recibo sigue en pantalla para descargarlo.
      this.anunciar("Su sesión terminó. Su voto ya está depositado; puede descargar su recibo.");
      return;
    }
    this.anunciar("Su sesión expiró. Lo llevamos a la página de acceso.");
    window.location.assign(this.cfg.acceso);
  }

  // ------------------------------------------------------------ avisos

  anunciar(texto) {
    $("cabina-estado").textContent = texto;
  }

  ocupado(si) {
    this.raiz.setAttribute("aria-busy", si ? "true" : "false");
    for (const boton of this.raiz.querySelectorAll(".cabina-botones button")) boton.disabled = si;
  }

  fallo(error) {
    const caja = $("cabina-error");
    const motivo = error.detalles && error.detalles.motivo ? ` Motivo: ${error.detalles.motivo}.` : "";
    caja.replaceChildren(
      el("p", { texto: `${error.mensaje || "Ocurrió un error."}${motivo}` }),
      el("p", { class: "codigo" }, "Código: ", el("code", { texto: error.codigo || "error" })),
    );
    caja.hidden = false;
    caja.focus();
    this.anunciar("Ocurrió un error.");
  }

  limpiarError() {
    const caja = $("cabina-error");
    caja.hidden = true;
    caja.replaceChildren();
  }

  errorCampo(cual, texto) {
    const nodo = $(`error-${cual}`);
    nodo.textContent = texto || "";
    nodo.hidden = !texto;
    const campo = cual === "credencial" ? $("credencial") : null;
    if (campo) campo.setAttribute("aria-invalid", texto ? "true" : "false");
  }
}

const raiz = document.getElementById("cabina");
if (raiz) new Cabina(raiz).iniciar();
