// Pruebas de conocimiento cero del dispositivo del elector: rango 0..R de Chaum-Pedersen
// disyuntiva (§6.2, ecuaciones (6.2)–(6.4), V-R1..V-R3) y firma de Schnorr con la credencial
// (§6.4, ecuaciones (6.10)–(6.11)).  Mismas fórmulas, mismo orden de azar y mismos bytes que
// vmre_crypto/primitivas/pruebas_zk/rango.py y firma.py.

import { ErrorVmre } from "./errores.js";
import { P, Q } from "./grupo.js";
import { Dominio, bP, concatenar, entero4, hashAQ } from "./hash.js";
import { modulo, potencia } from "./aritmetica.js";
import { enteroAHex } from "./bytes.js";

/** c = H(H_E; 0x21 ∥ K ∥ α ∥ β ∥ a_0 ∥ b_0 ∥ … ∥ a_R ∥ b_R) mod q. */
function retoRango(contexto, cifrado, compromisos) {
  const partes = [Uint8Array.of(Dominio.RETO_RANGO), bP(contexto.llave), bP(cifrado.alfa), bP(cifrado.beta)];
  for (const x of compromisos) partes.push(bP(x));
  return hashAQ(contexto.h_e, concatenar(partes));
}

/** (6.2)–(6.4): prueba de que (α, β) = (g^ξ, K^(ℓ+ξ)) cifra `valor` = ℓ ∈ [0, cota]. */
export function probarRango(contexto, cifrado, xi, valor, cota, azar) {
  if (!(valor >= 0 && valor <= cota)) throw new RangeError("el valor cifrado está fuera del rango de la prueba");
  const retos = [];
  const us = [];
  const compromisos = [];
  for (let j = 0; j <= cota; j++) {
    const u = azar.bajo(Q);
    us.push(u);
    if (j === valor) {
      retos.push(0n); // c_ℓ se fija tras el hash
      compromisos.push(contexto.gALa(u), contexto.kALa(u));
    } else {
      const c = azar.bajo(Q);
      retos.push(c);
      compromisos.push(contexto.gALa(u), contexto.kALa(modulo(u + c * BigInt(valor - j), Q)));
    }
  }
  const c = retoRango(contexto, cifrado, compromisos);
  let sumaOtros = 0n;
  retos.forEach((r, j) => {
    if (j !== valor) sumaOtros += r;
  });
  retos[valor] = modulo(c - sumaOtros, Q);
  const respuestas = us.map((u, j) => modulo(u - retos[j] * xi, Q));
  return { retos, respuestas };
}

/** V-R1..V-R3: a_j = g^(v_j)·α^(c_j), b_j = K^(v_j − j·c_j)·β^(c_j) y Σ c_j = H(…). */
export function verificarRango(contexto, cifrado, prueba, cota, donde) {
  if (prueba.retos.length !== cota + 1 || prueba.respuestas.length !== cota + 1) {
    throw new ErrorVmre("prueba_rango_invalida", `La prueba de rango debe tener ${cota + 1} retos y respuestas (V-R1).`, donde);
  }
  const compromisos = [];
  let suma = 0n;
  prueba.retos.forEach((c, j) => {
    const v = prueba.respuestas[j];
    compromisos.push((contexto.gALa(v) * potencia(cifrado.alfa, c, P)) % P);
    compromisos.push((contexto.kALa(modulo(v - c * BigInt(j), Q)) * potencia(cifrado.beta, c, P)) % P);
    suma += c;
  });
  if (modulo(suma, Q) !== retoRango(contexto, cifrado, compromisos)) {
    throw new ErrorVmre("prueba_rango_invalida", "La suma de los retos de la prueba de rango no coincide con el hash (V-R3).", donde);
  }
}

export const rangoAJson = (prueba) => ({
  respuestas: prueba.respuestas.map((x) => enteroAHex(x, 64)),
  retos: prueba.retos.map((x) => enteroAHex(x, 64)),
});

/** c = H(H_E; 0x50 ∥ b(X) ∥ b(h) ∥ b(len m, 4) ∥ m) mod q. */
function retoFirma(contexto, publica, h, mensaje) {
  const datos = concatenar([Uint8Array.of(Dominio.FIRMA_CREDENCIAL), bP(publica), bP(h), entero4(mensaje.length), mensaje]);
  return hashAQ(contexto.h_e, datos);
}

/** (6.10): u ← Z_q, c = reto(X, g^u, m), v = u − c·x. */
export function firmar(contexto, credencial, mensaje, azar) {
  const u = azar.bajo(Q);
  const c = retoFirma(contexto, credencial.publica, contexto.gALa(u), mensaje);
  return { reto: c, respuesta: modulo(u - c * credencial.secreta, Q) };
}

/** V-C1, ecuación (6.11): c = reto(X, g^v·X^c, m). */
export function verificarFirma(contexto, publica, mensaje, firma, donde) {
  const h = (contexto.gALa(firma.respuesta) * potencia(publica, firma.reto, P)) % P;
  if (retoFirma(contexto, publica, h, mensaje) !== firma.reto) {
    throw new ErrorVmre("firma_credencial_invalida", "La firma de la credencial no verifica (V-C1).", donde);
  }
}
