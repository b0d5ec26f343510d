// Canal con el Web Worker de la biblioteca (§23, /estaticos/vmre/trabajador.js): cada orden lleva
// un id y su respuesta lo repite.  El cifrado corre ahí, así que la página sigue respondiendo.

import { ErrorCabina } from "./servidor.js";

export class CanalTrabajador {
  constructor(url) {
    this.siguiente = 1;
    this.pendientes = new Map();
    this.roto = null;
    this.trabajador = new Worker(url, { type: "module" });
    this.trabajador.addEventListener("message", (evento) => this.recibir(evento.data));
    this.trabajador.addEventListener("error", (evento) => {
      evento.preventDefault();
      this.romper(
        new ErrorCabina(
          "trabajador_no_disponible",
          "Este navegador no pudo iniciar el cifrado de la boleta. Actualícelo o use otro navegador.",
        ),
      );
    });
    this.trabajador.addEventListener("messageerror", () => {
      this.romper(new ErrorCabina("trabajador_no_disponible", "Falló la comunicación con el cifrado de la boleta."));
    });
  }

  /** Manda ``orden`` con sus datos; la promesa da la respuesta (ok) o lanza ErrorCabina. */
  pedir(orden, datos = {}) {
    if (this.roto) return Promise.reject(this.roto);
    const id = this.siguiente++;
    return new Promise((resolver, rechazar) => {
      this.pendientes.set(id, { resolver, rechazar, orden });
      this.trabajador.postMessage({ ...datos, id, orden });
    });
  }

  recibir(mensaje) {
    if (!mensaje || typeof mensaje.id !== "number") return;
    const pendiente = this.pendientes.get(mensaje.id);
    if (!pendiente) return;
    this.pendientes.delete(mensaje.id);
    if (mensaje.ok) {
      pendiente.resolver(mensaje);
    } else {
      const e = mensaje.error || {};
      pendiente.rechazar(
        new ErrorCabina(e.codigo || "error_del_cifrado", e.mensaje || "El cifrado de la boleta falló."),
      );
    }
  }

  romper(error) {
    this.roto = error;
    for (const pendiente of this.pendientes.values()) pendiente.rechazar(error);
    this.pendientes.clear();
  }

  /** (24.5) Orden «olvidar» (ξ_B y credencial) sin esperar respuesta, y cierra el trabajador. */
  cerrar() {
    if (!this.trabajador) return;
    try {
      this.trabajador.postMessage({ id: this.siguiente++, orden: "olvidar" });
    } catch {
      // El trabajador ya no existe: no queda nada que olvidar.
    }
    this.trabajador.terminate();
    this.trabajador = null;
    this.romper(new ErrorCabina("cabina_cerrada", "La cabina se cerró."));
  }
}
