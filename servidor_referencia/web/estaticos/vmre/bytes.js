// Bytes, hexadecimal y enteros: las codificaciones de longitud fija b(x, l) de §3.1.

const HEX_MAYUSCULAS = /^(?:[0-9A-F]{2})*$/;

export function bytesAHex(bytes) {
  let texto = "";
  for (const octeto of bytes) texto += octeto.toString(16).padStart(2, "0");
  return texto.toUpperCase();
}

export function hexABytes(texto) {
  if (typeof texto !== "string" || !HEX_MAYUSCULAS.test(texto.toUpperCase())) {
    throw new TypeError("hexadecimal inválido");
  }
  const bytes = new Uint8Array(texto.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(texto.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function bytesAEntero(bytes) {
  return bytes.length === 0 ? 0n : BigInt("0x" + bytesAHex(bytes));
}

/** b(x, l): entero no negativo en big-endian de exactamente `largo` bytes (§3.1). */
export function enteroABytes(x, largo) {
  if (x < 0n) throw new RangeError("entero negativo");
  const texto = x.toString(16).padStart(2 * largo, "0");
  if (texto.length > 2 * largo) throw new RangeError(`el entero no cabe en ${largo} bytes`);
  return hexABytes(texto);
}

/** b(i, 4) para índices y longitudes. */
export function entero4(i) {
  return enteroABytes(BigInt(i), 4);
}

/** b(len, 4) ∥ UTF-8(texto): cadena con prefijo de longitud (8.6). */
export function bytesTexto(texto) {
  const utf8 = new TextEncoder().encode(texto);
  return concatenar([entero4(utf8.length), utf8]);
}

export function concatenar(partes) {
  let total = 0;
  for (const parte of partes) total += parte.length;
  const salida = new Uint8Array(total);
  let desplazamiento = 0;
  for (const parte of partes) {
    salida.set(parte, desplazamiento);
    desplazamiento += parte.length;
  }
  return salida;
}

export function igualesBytes(a, b) {
  if (a.length !== b.length) return false;
  let diferencia = 0;
  for (let i = 0; i < a.length; i++) diferencia |= a[i] ^ b[i];
  return diferencia === 0;
}

/** Hexadecimal canónico de un entero con exactamente `digitos` cifras (forma JSON, §10.1). */
export function enteroAHex(x, digitos) {
  return x.toString(16).toUpperCase().padStart(digitos, "0");
}
