// API pública de la biblioteca JavaScript del dispositivo del elector (§23).  Todo lo demás de
// este directorio es interno.  Módulos ES nativos, sin dependencias: el navegador no descarga nada
// fuera de este servidor.

export { ErrorVmre } from "./errores.js";
export { VERSION } from "./documentos.js";
export { textoCanonico } from "./canonico.js";
export { sha256, hmacSha256 } from "./sha256.js";
export { bytesAHex, hexABytes, bytesAEntero, enteroABytes } from "./bytes.js";
export { GRUPO, esMiembro } from "./grupo.js";
export { H, hashAQ } from "./hash.js";
export { contextoDesdeJson, hashParametros } from "./contexto.js";
export { leerCredencial } from "./credencial.js";
export { azarDelNavegador } from "./azar.js";
export {
  abrirBoleta,
  aperturaJson,
  cifrarBoleta,
  codigoConfirmacion,
  datosAuxiliares,
  hashContienda,
  nonceSeleccion,
  verificarBoleta,
} from "./boleta.js";
