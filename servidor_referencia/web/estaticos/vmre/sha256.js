// SHA-256 (FIPS 180-4) y HMAC-SHA-256 (RFC 2104), síncronas, sobre Uint8Array (§23.3).
// H(B0; B1) = HMAC-SHA-256(B0, B1) es la función hash de todo el protocolo (3.1).  Se escriben aquí
// en lugar de usar crypto.subtle porque esa API es asíncrona y cada prueba necesita decenas de
// hashes encadenados; las pruebas comparan contra los vectores de FIPS 180 y RFC 4231 y contra Python.

// Las constantes se derivan en vez de copiarse: las 64 primeras cifras de las raíces cúbicas y las
// 8 de las raíces cuadradas de los primeros primos, con aritmética entera exacta (BigInt).
function raizEntera(n, k) {
  // ⌊n^(1/k)⌋ por el método de Newton sobre enteros.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / k) + 1);
  const kb = BigInt(k);
  for (;;) {
    const y = ((kb - 1n) * x + n / x ** (kb - 1n)) / kb;
    if (y >= x) return x;
    x = y;
  }
}

function primos(cuantos) {
  const lista = [];
  for (let n = 2; lista.length < cuantos; n++) {
    if (lista.every((p) => n % p !== 0)) lista.push(n);
  }
  return lista;
}

const MASCARA32 = (1n << 32n) - 1n;
const PRIMOS = primos(64);
const K = Uint32Array.from(PRIMOS, (p) => Number(raizEntera(BigInt(p) << 96n, 3) & MASCARA32));
const INICIAL = Uint32Array.from(PRIMOS.slice(0, 8), (p) => Number(raizEntera(BigInt(p) << 64n, 2) & MASCARA32));

const rotr = (x, n) => (x >>> n) | (x << (32 - n));

export function sha256(datos) {
  const n = datos.length;
  const largo = ((n + 9 + 63) >> 6) << 6;
  const bloque = new Uint8Array(largo);
  bloque.set(datos);
  bloque[n] = 0x80;
  const vista = new DataView(bloque.buffer);
  vista.setUint32(largo - 8, Math.floor(n / 0x20000000)); // n·8 en 64 bits big-endian
  vista.setUint32(largo - 4, (n << 3) >>> 0);
  const h = Uint32Array.from(INICIAL);
  const w = new Uint32Array(64);
  for (let inicio = 0; inicio < largo; inicio += 64) {
    for (let i = 0; i < 16; i++) w[i] = vista.getUint32(inicio + 4 * i);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  const salida = new Uint8Array(32);
  const vs = new DataView(salida.buffer);
  for (let i = 0; i < 8; i++) vs.setUint32(4 * i, h[i]);
  return salida;
}

export function hmacSha256(clave, datos) {
  let k = clave.length > 64 ? sha256(clave) : clave;
  const relleno = new Uint8Array(64);
  relleno.set(k);
  const interno = new Uint8Array(64 + datos.length);
  const externo = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    interno[i] = relleno[i] ^ 0x36;
    externo[i] = relleno[i] ^ 0x5c;
  }
  interno.set(datos, 64);
  externo.set(sha256(interno), 64);
  return sha256(externo);
}
