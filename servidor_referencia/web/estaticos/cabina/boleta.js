// La boleta en pantalla (24.6): una contienda por fieldset, su límite explicado, la candidatura no
// registrada con un nombre que no sale del dispositivo y el voto nulo exclusivo.  Aquí solo se
// dibuja y se leen las marcas; nada de esto se envía.

import { el } from "./formato.js";

/** Texto del límite de selección L de una contienda. */
export function textoLimite(limite) {
  return limite === 1 ? "Marque una opción." : `Marque hasta ${limite} opciones.`;
}

export class Boleta {
  /**
   * @param {HTMLElement} contenedor
   * @param {Array} contiendas  las contiendas del estilo (JSON del manifiesto)
   * @param {Array} especiales  por contienda: {contienda, no_registrada, nulo} (índices o null)
   */
  constructor(contenedor, contiendas, especiales) {
    this.contenedor = contenedor;
    this.contiendas = contiendas;
    this.especiales = new Map((especiales || []).map((e) => [e.contienda, e]));
    contenedor.replaceChildren(...contiendas.map((c) => this.dibujar(c)));
    for (const c of contiendas) this.actualizar(c.indice);
  }

  especial(indice) {
    return this.especiales.get(indice) || { no_registrada: null, nulo: null };
  }

  dibujar(contienda) {
    const i = contienda.indice;
    const limite = contienda.limite_seleccion;
    const especial = this.especial(i);
    const tipo = limite === 1 ? "radio" : "checkbox";
    const ayuda = el(
      "p",
      { class: "ayuda cabina-limite", id: `limite-${i}` },
      `${textoLimite(limite)} Si no marca ninguna, su voto en esta contienda queda en blanco.`,
    );
    const cuenta = el("p", { class: "cabina-cuenta", id: `cuenta-${i}`, "aria-live": "polite" });
    const opciones = contienda.opciones.map((opcion) => {
      const id = `opcion-${i}-${opcion.indice}`;
      const casilla = el("input", {
        type: tipo,
        id,
        name: `contienda-${i}`,
        value: opcion.indice,
        "data-contienda": i,
        "data-opcion": opcion.indice,
      });
      const fila = el("div", { class: "cabina-opcion" }, casilla, el("label", { for: id, texto: opcion.etiqueta }));
      if (opcion.indice === especial.no_registrada) {
        fila.classList.add("cabina-no-registrada");
        const idNombre = `nombre-${i}`;
        fila.append(
          el(
            "div",
            { class: "cabina-nombre" },
            el("label", { for: idNombre, texto: "Nombre de la candidatura no registrada (opcional)" }),
            // (24.13) Divergencia con la boleta en papel: el nombre no se cifra ni se envía.
            el(
              "p",
              { class: "ayuda", id: `ayuda-${idNombre}` },
              "Este nombre solo se muestra en su pantalla: no se envía ni se cuenta por separado. " +
                "Su voto cuenta como «Candidatura no registrada».",
            ),
            el("input", {
              type: "text",
              id: idNombre,
              maxlength: 120,
              autocomplete: "off",
              disabled: true,
              "aria-describedby": `ayuda-${idNombre}`,
            }),
          ),
        );
      }
      if (opcion.indice === especial.nulo) {
        fila.classList.add("cabina-nulo");
        casilla.setAttribute("aria-describedby", `ayuda-nulo-${i}`);
        fila.append(
          el(
            "p",
            { class: "ayuda", id: `ayuda-nulo-${i}` },
            "Anula su voto en esta contienda. No se combina con ninguna otra opción.",
          ),
        );
      }
      return fila;
    });
    const conjunto = el(
      "fieldset",
      { class: "cabina-contienda", id: `contienda-${i}`, "aria-describedby": `limite-${i} cuenta-${i}` },
      el("legend", { texto: contienda.etiqueta }),
      ayuda,
      ...opciones,
      cuenta,
    );
    if (limite === 1) {
      const quitar = el("button", { type: "button", class: "enlace cabina-quitar", texto: "Quitar la marca" });
      quitar.setAttribute("aria-label", `Quitar la marca de ${contienda.etiqueta}`);
      quitar.addEventListener("click", () => {
        for (const casilla of this.casillas(i)) casilla.checked = false;
        this.actualizar(i);
        this.casillas(i)[0]?.focus();
      });
      conjunto.append(quitar);
    }
    conjunto.addEventListener("change", (evento) => {
      if (evento.target instanceof HTMLInputElement && evento.target.dataset.opcion) {
        this.alCambiar(i, Number(evento.target.dataset.opcion), evento.target.checked);
      }
    });
    return conjunto;
  }

  casillas(indice) {
    return [...this.contenedor.querySelectorAll(`input[data-contienda="${indice}"]`)];
  }

  alCambiar(indice, opcion, marcada) {
    const especial = this.especial(indice);
    // (24.6) El voto nulo es exclusivo: marcarlo quita las demás marcas; marcar otra lo quita.
    if (marcada) {
      for (const casilla of this.casillas(indice)) {
        const o = Number(casilla.dataset.opcion);
        if (o === opcion) continue;
        if (opcion === especial.nulo || o === especial.nulo) casilla.checked = false;
      }
    }
    this.actualizar(indice);
  }

  /** Habilita lo que se puede marcar según el límite y muestra cuántas lleva. */
  actualizar(indice) {
    const contienda = this.contiendas.find((c) => c.indice === indice);
    const limite = contienda.limite_seleccion;
    const especial = this.especial(indice);
    const casillas = this.casillas(indice);
    const marcadas = casillas.filter((c) => c.checked);
    const nulo = marcadas.some((c) => Number(c.dataset.opcion) === especial.nulo);
    if (limite > 1) {
      for (const casilla of casillas) {
        const o = Number(casilla.dataset.opcion);
        // El nulo siempre se puede marcar (quita las demás); las otras, mientras no se llegue al tope.
        casilla.disabled = !casilla.checked && o !== especial.nulo && marcadas.length >= limite;
      }
    }
    const nombre = this.contenedor.querySelector(`#nombre-${indice}`);
    if (nombre) {
      const elegida = casillas.some((c) => c.checked && Number(c.dataset.opcion) === especial.no_registrada);
      nombre.disabled = !elegida;
      if (!elegida) nombre.value = "";
    }
    const cuenta = this.contenedor.querySelector(`#cuenta-${indice}`);
    if (cuenta) {
      let texto;
      if (nulo) texto = "Marcó «Voto nulo»: su voto en esta contienda se anula.";
      else if (marcadas.length === 0) texto = "Sin marcas: en blanco.";
      else if (limite === 1) texto = "Marcó 1 opción.";
      else if (marcadas.length >= limite) texto = `Marcó ${marcadas.length} de ${limite}: llegó al máximo. Para cambiar, quite una marca.`;
      else texto = `Marcó ${marcadas.length} de ${limite}.`;
      cuenta.textContent = texto;
    }
  }

  /** Las marcas, como las pide el trabajador: {"1": [2], "4": []} (índices del manifiesto). */
  marcas() {
    const salida = {};
    for (const c of this.contiendas) {
      salida[String(c.indice)] = this.casillas(c.indice)
        .filter((x) => x.checked)
        .map((x) => Number(x.dataset.opcion))
        .sort((a, b) => a - b);
    }
    return salida;
  }

  /** Problemas que impiden seguir (un tope excedido no debería ocurrir: se revisa igual). */
  problemas() {
    const marcas = this.marcas();
    const salida = [];
    for (const c of this.contiendas) {
      const elegidas = marcas[String(c.indice)];
      const especial = this.especial(c.indice);
      if (elegidas.length > c.limite_seleccion) {
        salida.push(`En «${c.etiqueta}» marcó ${elegidas.length} opciones; el máximo es ${c.limite_seleccion}.`);
      }
      if (especial.nulo !== null && elegidas.includes(especial.nulo) && elegidas.length > 1) {
        salida.push(`En «${c.etiqueta}» el voto nulo no se combina con otras opciones.`);
      }
    }
    return salida;
  }

  /** (24.6) Resumen para la revisión: etiquetas elegidas, nombre escrito, en blanco, nulo. */
  resumen() {
    const marcas = this.marcas();
    return this.contiendas.map((c) => {
      const elegidas = marcas[String(c.indice)];
      const especial = this.especial(c.indice);
      const nombre = this.contenedor.querySelector(`#nombre-${c.indice}`);
      return {
        indice: c.indice,
        etiqueta: c.etiqueta,
        elegidas: elegidas.map((o) => this.etiqueta(c.indice, o)),
        nombreNoRegistrada:
          elegidas.includes(especial.no_registrada) && nombre && nombre.value.trim() ? nombre.value.trim() : null,
        blanco: elegidas.length === 0,
        nulo: especial.nulo !== null && elegidas.includes(especial.nulo),
      };
    });
  }

  etiqueta(indice, opcion) {
    const c = this.contiendas.find((x) => x.indice === indice);
    const o = c && c.opciones.find((x) => x.indice === opcion);
    return o ? o.etiqueta : `opción ${opcion}`;
  }

  /** Borra todas las marcas y nombres de la pantalla (tras depositar o al cerrar). */
  borrar() {
    for (const casilla of this.contenedor.querySelectorAll("input")) {
      if (casilla.type === "text") casilla.value = "";
      else casilla.checked = false;
    }
    for (const c of this.contiendas) this.actualizar(c.indice);
  }

  primerCampo() {
    return this.contenedor.querySelector("input:not([disabled])");
  }
}
