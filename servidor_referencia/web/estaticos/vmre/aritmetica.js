// Aritmética modular con BigInt nativo (§23.4).  Solo exponenciación: el grupo es Z_p^r con p de
// 4096 bits y exponentes en Z_q (256 bits).

/** base^exponente mod modulo con ventana deslizante de 5 bits (exponente ≥ 0). */
export function potencia(base, exponente, modulo) {
  if (exponente < 0n) throw new RangeError("exponente negativo");
  base %= modulo;
  if (exponente === 0n) return 1n % modulo;
  // Tabla de potencias impares base^1, base^3, …, base^31.
  const cuadrado = (base * base) % modulo;
  const impares = [base];
  for (let i = 1; i < 16; i++) impares.push((impares[i - 1] * cuadrado) % modulo);
  const bits = exponente.toString(2);
  let resultado = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === "0") {
      resultado = (resultado * resultado) % modulo;
      i++;
      continue;
    }
    // La ventana más larga (≤ 5 bits) que empieza en i y termina en un 1.
    let fin = Math.min(i + 5, bits.length);
    while (bits[fin - 1] === "0") fin--;
    const ventana = parseInt(bits.slice(i, fin), 2);
    for (let k = i; k < fin; k++) resultado = (resultado * resultado) % modulo;
    resultado = (resultado * impares[(ventana - 1) >> 1]) % modulo;
    i = fin;
  }
  return resultado;
}

/**
 * Exponenciación de base fija (§2.4.2): se precalcula base^(d·2^(w·i)) para cada ventana i y dígito
 * d, y una potencia cuesta ⌈bits/w⌉ productos, sin cuadrados.  Los exponentes se reducen módulo
 * `orden` (el orden de la base), así que el resultado es exactamente base^e mod p.  Con w = 6 y
 * exponentes de 256 bits: 43 filas de 64 entradas (≈ 1.4 MB por base).
 */
export class TablaBaseFija {
  constructor(base, modulo, orden, ancho = 6) {
    this.modulo = modulo;
    this.orden = orden;
    this.ancho = BigInt(ancho);
    this.mascara = (1n << this.ancho) - 1n;
    const ventanas = Math.ceil(orden.toString(2).length / ancho);
    this.filas = [];
    let actual = base % modulo;
    for (let v = 0; v < ventanas; v++) {
      const fila = [1n, actual];
      for (let d = 2; d < 1 << ancho; d++) fila.push((fila[d - 1] * actual) % modulo);
      this.filas.push(fila);
      actual = (fila[fila.length - 1] * actual) % modulo; // base^(2^(w·(v+1)))
    }
  }

  potencia(exponente) {
    let e = ((exponente % this.orden) + this.orden) % this.orden;
    const m = this.modulo;
    let resultado = 1n;
    for (const fila of this.filas) {
      if (e === 0n) break;
      const d = Number(e & this.mascara);
      if (d !== 0) resultado = (resultado * fila[d]) % m;
      e >>= this.ancho;
    }
    return resultado;
  }
}

/** x mod n en [0, n) también para x negativo. */
export function modulo(x, n) {
  const r = x % n;
  return r < 0n ? r + n : r;
}
