// Fuente de azar determinista para las pruebas: la misma sucesión de bytes y de enteros que
// vmre_crypto.primitivas._aritmetica.FuenteDeterminista (la que instala con_semilla en Python).
// SOLO para pruebas; la cabina usa azarDelNavegador (crypto.getRandomValues).
//
//   clave   = SHA-256("vmre-semilla-de-prueba" ∥ semilla)
//   bits(n) = los n bits altos de HMAC(clave, b(1, 8)) ∥ HMAC(clave, b(2, 8)) ∥ …  (el contador
//             sigue de una llamada a la siguiente)
//   bytes(n) = b(bits(8n), n);  bajo(cota) = rechazo sobre bits(max(1, bit_length(cota)))
//
// Implementa la interfaz { bytes(n), bajo(cota) } que cifrarBoleta recibe en opciones.azar.

import { hmacSha256, sha256 } from "/estaticos/vmre/vmre.js";

const PREFIJO = new TextEncoder().encode("vmre-semilla-de-prueba");

function aEntero(bloques) {
  let x = 0n;
  for (const bloque of bloques) for (const octeto of bloque) x = (x << 8n) | BigInt(octeto);
  return x;
}

export class FuenteDeterminista {
  #clave;
  #contador = 0n;

  /** `semilla`: texto (se codifica en UTF-8, como con_semilla) o Uint8Array. */
  constructor(semilla) {
    const datos = typeof semilla === "string" ? new TextEncoder().encode(semilla) : semilla;
    const entrada = new Uint8Array(PREFIJO.length + datos.length);
    entrada.set(PREFIJO);
    entrada.set(datos, PREFIJO.length);
    this.#clave = sha256(entrada);
  }

  /** Entero (BigInt) de n bits. */
  bits(n) {
    const bloques = [];
    let octetos = 0;
    while (octetos * 8 < n) {
      this.#contador += 1n;
      const contador = new Uint8Array(8);
      new DataView(contador.buffer).setBigUint64(0, this.#contador, false);
      const bloque = hmacSha256(this.#clave, contador);
      bloques.push(bloque);
      octetos += bloque.length;
    }
    return aEntero(bloques) >> BigInt(octetos * 8 - n);
  }

  bytes(n) {
    let x = this.bits(8 * n);
    const salida = new Uint8Array(n);
    for (let i = n - 1; i >= 0; i--) {
      salida[i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return salida;
  }

  bajo(cota) {
    const n = Math.max(1, cota === 0n ? 0 : cota.toString(2).length);
    for (;;) {
      const x = this.bits(n);
      if (x < cota) return x;
    }
  }
}
