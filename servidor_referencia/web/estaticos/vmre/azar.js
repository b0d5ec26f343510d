// Azar del dispositivo (23.6): crypto.getRandomValues, la única fuente en la cabina.  Misma interfaz
// que la fuente determinista de las pruebas: bytes(n) y bajo(cota).

import { bytesAEntero } from "./bytes.js";

function bytes(n) {
  const salida = new Uint8Array(n);
  crypto.getRandomValues(salida);
  return salida;
}

/** Entero uniforme en [0, cota) por muestreo con rechazo sobre bit_length(cota) bits. */
function bajo(cota) {
  const bits = cota.toString(2).length;
  const octetos = Math.ceil(bits / 8);
  const sobrantes = BigInt(8 * octetos - bits);
  for (;;) {
    const x = bytesAEntero(bytes(octetos)) >> sobrantes;
    if (x < cota) return x;
  }
}

export const azarDelNavegador = Object.freeze({ bytes, bajo });
