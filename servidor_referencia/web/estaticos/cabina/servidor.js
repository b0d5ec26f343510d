// Peticiones de la cabina a su servidor (24.4): JSON, sesión por la cookie y CSRF por cabecera.
// Solo viajan la boleta cifrada y, al desafiar, su apertura; nunca la credencial ni las marcas.

/** Error con código estable, como el sobre {"error": {codigo, mensaje, detalles}} de §18.5. */
export class ErrorCabina extends Error {
  constructor(codigo, mensaje, { estado = 0, detalles = {} } = {}) {
    super(mensaje);
    this.name = "ErrorCabina";
    this.codigo = codigo;
    this.mensaje = mensaje;
    this.estado = estado;
    this.detalles = detalles || {};
  }
}

/** 401 del servidor: la sesión venció o no existe (24.5). */
export function esSesionVencida(error) {
  return error instanceof ErrorCabina && error.estado === 401;
}

export class Servidor {
  /**
   * @param {{csrf: string, cabecera: string, alVencer: (e: ErrorCabina) => void}} opciones
   */
  constructor({ csrf, cabecera, alVencer }) {
    this.csrf = csrf;
    this.cabecera = cabecera;
    this.alVencer = alVencer;
  }

  obtener(url) {
    return this.pedir(url, "GET");
  }

  enviar(url, cuerpo) {
    return this.pedir(url, "POST", cuerpo);
  }

  async pedir(url, metodo, cuerpo) {
    const cabeceras = { Accept: "application/json" };
    const opciones = { method: metodo, credentials: "same-origin", cache: "no-store", headers: cabeceras };
    if (cuerpo !== undefined) {
      cabeceras["Content-Type"] = "application/json";
      cabeceras[this.cabecera] = this.csrf;
      opciones.body = JSON.stringify(cuerpo);
    }
    let respuesta;
    try {
      respuesta = await fetch(url, opciones);
    } catch {
      throw new ErrorCabina(
        "sin_conexion",
        "No se pudo comunicar con el servidor. Revise su conexión a internet e intente de nuevo.",
      );
    }
    let datos = null;
    try {
      datos = await respuesta.json();
    } catch {
      datos = null;
    }
    if (respuesta.ok && datos !== null) return datos;
    const sobre = datos && datos.error ? datos.error : null;
    const error = new ErrorCabina(
      sobre ? sobre.codigo : "respuesta_invalida",
      sobre ? sobre.mensaje : `El servidor respondió de forma inesperada (HTTP ${respuesta.status}).`,
      { estado: respuesta.status, detalles: sobre ? sobre.detalles : {} },
    );
    if (respuesta.status === 401 && this.alVencer) this.alVencer(error);
    throw error;
  }
}
