// Error único de la biblioteca JavaScript del elector (§23.2): código estable + mensaje en español.
// Los códigos son los mismos `Motivo` de vmre_crypto (p. ej. "formato_invalido", "apertura_invalida").

export class ErrorVmre extends Error {
  constructor(codigo, mensaje, detalles = {}) {
    super(mensaje);
    this.name = "ErrorVmre";
    this.codigo = codigo;
    this.mensaje = mensaje;
    this.detalles = detalles;
  }

  comoObjeto() {
    return { codigo: this.codigo, mensaje: this.mensaje, detalles: this.detalles };
  }
}
