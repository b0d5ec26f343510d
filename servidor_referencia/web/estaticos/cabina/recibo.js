// «Verifica tu recibo» (24.9): busca un código de confirmación en el tablero público (API pública,
// sin sesión) y, si se cargó el archivo de recibo, compara lo que dice con lo que dice el tablero.
// El archivo se lee en el navegador (File API): nunca se sube.

import { agruparHex, el, esCodigo, normalizarCodigo } from "./formato.js";

const $ = (id) => document.getElementById(id);

class VerificarRecibo {
  constructor(raiz) {
    this.raiz = raiz;
    this.proceso = Number(raiz.dataset.proceso);
    this.api = raiz.dataset.api;
    this.recibo = null;
  }

  iniciar() {
    $("zona-archivo").hidden = false;
    $("form-recibo").addEventListener("submit", (evento) => {
      evento.preventDefault();
      this.recibo = null; // un código escrito a mano: sin recibo que comparar
      this.buscar($("codigo").value);
    });
    $("archivo").addEventListener("change", () => this.cargar());
    if ($("codigo").value.trim()) this.buscar($("codigo").value);
  }

  anunciar(texto) {
    $("recibo-estado").textContent = texto;
  }

  async cargar() {
    const archivo = $("archivo").files[0];
    if (!archivo) return;
    let recibo;
    try {
      if (archivo.size > 64 * 1024) throw new Error("grande");
      recibo = JSON.parse(await archivo.text());
    } catch {
      this.mostrarError("El archivo no es un recibo de votación (JSON) legible.");
      return;
    }
    const codigo = recibo && typeof recibo.codigo_confirmacion === "string" ? normalizarCodigo(recibo.codigo_confirmacion) : "";
    if (!esCodigo(codigo) || !Number.isInteger(recibo.posicion)) {
      this.mostrarError("El archivo no tiene la forma de un recibo: le falta el código de confirmación o la posición.");
      return;
    }
    this.recibo = recibo;
    $("codigo").value = agruparHex(codigo);
    await this.buscar(codigo);
  }

  async buscar(texto) {
    const codigo = normalizarCodigo(texto);
    if (!esCodigo(codigo)) {
      this.mostrarError(
        "El código de confirmación tiene 64 caracteres hexadecimales (0–9 y A–F); revise que lo copió completo.",
      );
      return;
    }
    this.anunciar("Buscando en el tablero público…");
    let respuesta;
    try {
      respuesta = await fetch(this.api + encodeURIComponent(codigo), {
        headers: { Accept: "application/json" },
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      this.mostrarError("No se pudo consultar el tablero. Revise su conexión e intente de nuevo.");
      return;
    }
    if (respuesta.status === 404) {
      this.mostrarResultado(codigo, null);
      return;
    }
    if (!respuesta.ok) {
      this.mostrarError(`El tablero respondió con un error (HTTP ${respuesta.status}).`);
      return;
    }
    this.mostrarResultado(codigo, await respuesta.json());
  }

  mostrarError(texto) {
    this.mostrarResultado(null, null, texto);
  }

  mostrarResultado(codigo, encontrado, error = null) {
    const veredicto = $("recibo-veredicto");
    const filas = [];
    if (error) {
      veredicto.className = "aviso aviso-error";
      veredicto.textContent = error;
    } else if (!encontrado) {
      veredicto.className = "aviso aviso-error";
      veredicto.textContent = `El código ${agruparHex(codigo)} no está en el tablero de este proceso.`;
    } else {
      const recibo = this.recibo;
      const fila = (dato, tablero, delRecibo, clase = null) => {
        const coincide = delRecibo === undefined ? null : String(tablero).toUpperCase() === String(delRecibo).toUpperCase();
        filas.push(
          el(
            "tr",
            { "data-dato": dato },
            el("th", { scope: "row", texto: dato }),
            el("td", { class: clase, "data-etiqueta": "En el tablero", texto: String(tablero) }),
            el("td", {
              class: clase,
              "data-etiqueta": "En su recibo",
              texto: delRecibo === undefined ? "—" : String(delRecibo),
            }),
            el("td", {
              class: coincide === null ? null : coincide ? "coincide" : "no-coincide",
              "data-etiqueta": "¿Coincide?",
              texto: coincide === null ? "—" : coincide ? "Sí" : "No",
            }),
          ),
        );
        return coincide;
      };
      const c1 = fila("Código de confirmación", agruparHex(encontrado.codigo_confirmacion), recibo ? agruparHex(normalizarCodigo(recibo.codigo_confirmacion)) : undefined, "hash");
      const c2 = fila("Posición", encontrado.posicion, recibo ? recibo.posicion : undefined);
      fila("Hora (UTC)", encontrado.tiempo, recibo ? recibo.tiempo : undefined);
      const c3 = fila("Hash de la entrada", encontrado.hash_entrada, recibo ? recibo.cabeza_tablero : undefined, "hash");
      fila("Estado", encontrado.estado === "depositada" ? "depositada" : "desafiada (abierta, no se cuenta)", undefined);
      const otroProceso = recibo && Number(recibo.proceso) !== this.proceso;
      if (recibo && c1 && c2 && c3 && !otroProceso) {
        veredicto.className = "aviso aviso-ok";
        veredicto.textContent =
          "Su boleta está en el tablero público: la posición, el código y el hash de la entrada coinciden con su recibo.";
      } else if (recibo) {
        veredicto.className = "aviso aviso-error";
        veredicto.textContent = otroProceso
          ? `Este recibo es del proceso ${recibo.proceso}, no de este. Busque en el tablero de su proceso.`
          : "El código está en el tablero, pero no todo coincide con su recibo (vea la tabla). Avise a la autoridad electoral.";
      } else {
        veredicto.className = "aviso aviso-ok";
        veredicto.textContent =
          encontrado.estado === "depositada"
            ? `El código está en el tablero: boleta depositada en la posición ${encontrado.posicion}.`
            : `El código está en el tablero: boleta desafiada (abierta, no se cuenta) en la posición ${encontrado.posicion}.`;
      }
    }
    $("recibo-filas").replaceChildren(...filas);
    $("recibo-tabla").hidden = filas.length === 0;
    const seccion = $("recibo-resultado");
    seccion.hidden = false;
    $("titulo-resultado").focus();
    this.anunciar(veredicto.textContent);
  }
}

const raiz = document.getElementById("verificar-recibo");
if (raiz) new VerificarRecibo(raiz).iniciar();
