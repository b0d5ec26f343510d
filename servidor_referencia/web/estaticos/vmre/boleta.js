// Boletas en el dispositivo del elector (§8): cifrado con los nonces derivados de ξ_B (8.1)–(8.2),
// prueba de límite (8.3), hash de contienda (8.4), B_aux (8.6), código de confirmación (8.5),
// firma con la credencial (8.8) y apertura de Benaloh (8.9)–(8.10).  La salida es el mismo JSON,
// byte a byte, que vmre_crypto.cifrar_boleta con el mismo azar (23.7).

import { ErrorVmre } from "./errores.js";
import { P, Q } from "./grupo.js";
import { Dominio, H, bP, concatenar, entero4, hashAQ } from "./hash.js";
import { bytesAHex, bytesTexto, enteroAHex, igualesBytes } from "./bytes.js";
import { modulo } from "./aritmetica.js";
import { azarDelNavegador } from "./azar.js";
import { firmar, probarRango, rangoAJson, verificarFirma, verificarRango } from "./pruebas.js";
import { VERSION, exigir, leerDocumento } from "./documentos.js";

export const BYTES_NONCE_BOLETA = 32;

/** (8.1) ξ_(c,o) = H(H_E; 0x20 ∥ ξ_B ∥ b(ind_c,4) ∥ b(ind_o,4)) mod q. */
export function nonceSeleccion(contexto, nonceBoleta, contienda, opcion) {
  return hashAQ(contexto.h_e, concatenar([Uint8Array.of(Dominio.NONCE), nonceBoleta, entero4(contienda), entero4(opcion)]));
}

/** (8.4) χ = H(H_E; 0x23 ∥ b(ind_c,4) ∥ b(K) ∥ α_1 ∥ β_1 ∥ … ∥ α_m ∥ β_m). */
export function hashContienda(contexto, indice, cifrados) {
  const partes = [Uint8Array.of(Dominio.HASH_CONTIENDA), entero4(indice), bP(contexto.llave)];
  for (const c of cifrados) partes.push(bP(c.alfa), bP(c.beta));
  return H(contexto.h_e, concatenar(partes));
}

/** (8.6) B_aux = bt(id_boleta) ∥ bt(estilo) ∥ b(len(X̄),4) ∥ X̄. */
export function datosAuxiliares(idBoleta, estilo, publica) {
  const credencial = publica === null ? new Uint8Array(0) : bP(publica);
  return concatenar([bytesTexto(idBoleta), bytesTexto(estilo), entero4(credencial.length), credencial]);
}

/** (8.5) H(B) = H(H_E; 0x24 ∥ χ_1 ∥ … ∥ χ_mB ∥ b(len(B_aux),4) ∥ B_aux). */
export function codigoConfirmacion(contexto, hashes, aux) {
  return H(contexto.h_e, concatenar([Uint8Array.of(Dominio.CODIGO_CONFIRMACION), ...hashes, entero4(aux.length), aux]));
}

/** (8.2) Validación de las marcas de una contienda y su vector σ (1 si marcada). */
function vectorContienda(contienda, marcadas) {
  if (!Array.isArray(marcadas) || !marcadas.every(Number.isInteger)) {
    throw new ErrorVmre("seleccion_invalida", "Las marcas deben ser números de opción.", { contienda: contienda.indice });
  }
  if (new Set(marcadas).size !== marcadas.length) {
    throw new ErrorVmre("seleccion_invalida", "Una opción está marcada dos veces.", { contienda: contienda.indice });
  }
  for (const opcion of marcadas) {
    if (opcion < 1 || opcion > contienda.opciones.length) {
      throw new ErrorVmre("seleccion_invalida", "La opción marcada no existe.", { contienda: contienda.indice, opcion });
    }
  }
  if (marcadas.length > contienda.limite_seleccion) {
    throw new ErrorVmre(
      "limite_excedido",
      `Se marcaron ${marcadas.length} opciones y el límite es ${contienda.limite_seleccion}.`,
      { contienda: contienda.indice },
    );
  }
  return contienda.opciones.map((o) => (marcadas.includes(o.indice) ? 1 : 0));
}

const cifradoAJson = (c) => ({ alfa: enteroAHex(c.alfa, 1024), beta: enteroAHex(c.beta, 1024) });

/**
 * Cifra la boleta del `estilo` con las `marcas` ({"1": [2], …}), la prueba y la firma (§8.2–§8.8).
 * Devuelve { boleta (JSON de `boleta_cifrada`), nonceBoleta (ξ_B, secreto), codigo (hex) }.
 */
export function cifrarBoleta(contexto, estilo, marcas, credencial, opciones = {}) {
  const azar = opciones.azar ?? azarDelNavegador;
  const estiloB = contexto.estilo(estilo);
  for (const clave of Object.keys(marcas)) {
    if (!estiloB.contiendas.includes(Number(clave))) {
      throw new ErrorVmre("boleta_no_corresponde_al_manifiesto", "Se marcó una contienda que no pertenece al estilo de la boleta.", {
        contienda: Number(clave),
      });
    }
  }
  // El orden de consumo del azar es el de vmre_crypto.cifrar_boleta: ξ_B, id, pruebas, firma.
  const nonceBoleta = opciones.nonceBoleta ?? azar.bytes(BYTES_NONCE_BOLETA);
  if (nonceBoleta.length !== BYTES_NONCE_BOLETA) throw new RangeError("ξ_B debe medir 32 bytes");
  const idBoleta = opciones.idBoleta ?? bytesAHex(azar.bytes(16));
  contexto.prepararTablas();
  const contiendas = [];
  const hashes = [];
  for (const indice of estiloB.contiendas) {
    const contienda = contexto.contienda(indice);
    const vector = vectorContienda(contienda, marcas[indice] ?? marcas[String(indice)] ?? []);
    const selecciones = [];
    const cifrados = [];
    let xiTotal = 0n;
    let alfaTotal = 1n;
    let betaTotal = 1n;
    contienda.opciones.forEach((opcion, k) => {
      const sigma = vector[k];
      const xi = nonceSeleccion(contexto, nonceBoleta, indice, opcion.indice);
      const cifrado = { alfa: contexto.gALa(xi), beta: contexto.kALa(xi + BigInt(sigma)) }; // (5.1)
      const prueba = probarRango(contexto, cifrado, xi, sigma, 1, azar);
      selecciones.push({ cifrado: cifradoAJson(cifrado), prueba: rangoAJson(prueba) });
      cifrados.push(cifrado);
      xiTotal = (xiTotal + xi) % Q;
      alfaTotal = (alfaTotal * cifrado.alfa) % P;
      betaTotal = (betaTotal * cifrado.beta) % P;
    });
    const marcadas = vector.reduce((a, b) => a + b, 0);
    const pruebaLimite = probarRango(contexto, { alfa: alfaTotal, beta: betaTotal }, xiTotal, marcadas, contienda.limite_seleccion, azar);
    const chi = hashContienda(contexto, indice, cifrados);
    hashes.push(chi);
    contiendas.push({ hash_contienda: bytesAHex(chi), indice, prueba_limite: rangoAJson(pruebaLimite), selecciones });
  }
  const publica = credencial ? credencial.publica : null;
  const codigo = codigoConfirmacion(contexto, hashes, datosAuxiliares(idBoleta, estilo, publica));
  const firma = credencial ? firmar(contexto, credencial, codigo, azar) : null;
  const boleta = {
    codigo_confirmacion: bytesAHex(codigo),
    contiendas,
    credencial: publica === null ? null : enteroAHex(publica, 1024),
    estilo,
    firma: firma === null ? null : { respuesta: enteroAHex(firma.respuesta, 64), reto: enteroAHex(firma.reto, 64) },
    id_boleta: idBoleta,
    tipo: "boleta_cifrada",
    version: VERSION,
  };
  return { boleta, nonceBoleta, codigo: bytesAHex(codigo) };
}

/** Lo que se publica al desafiar (8.9): el identificador y ξ_B. */
export function aperturaJson(idBoleta, nonceBoleta) {
  return { id_boleta: idBoleta, nonce_boleta: bytesAHex(nonceBoleta), tipo: "apertura_boleta", version: VERSION };
}

/** Decodificación estricta de una `boleta_cifrada` (§10) y su forma interna. */
function leerBoleta(doc) {
  const d = leerDocumento(doc, "boleta_cifrada");
  return {
    id: d.id_boleta,
    estilo: d.estilo,
    contiendas: d.contiendas.map((c) => ({
      indice: c.indice,
      selecciones: c.selecciones,
      pruebaLimite: c.prueba_limite,
      hash: c.hash_contienda,
    })),
    codigo: d.codigo_confirmacion,
    credencial: d.credencial,
    firma: d.firma,
  };
}

/** V-B1, V5, V6, V7.A, V7.B y V-C1 en el navegador (§11); lanza el primer error preciso. */
export function verificarBoleta(contexto, boletaJson, { exigirCredencial = true } = {}) {
  const b = leerBoleta(boletaJson);
  const donde = { boleta: b.id };
  const estilo = contexto.manifiesto.estilos.find((e) => e.identificador === b.estilo);
  exigir(estilo, "boleta_no_corresponde_al_manifiesto", "El estilo de la boleta no existe (V-B1).", donde);
  exigir(
    b.contiendas.map((c) => c.indice).join(",") === estilo.contiendas.join(","),
    "boleta_no_corresponde_al_manifiesto",
    "Las contiendas de la boleta no son las de su estilo (V-B1).",
    donde,
  );
  contexto.prepararTablas();
  for (const c of b.contiendas) {
    const contienda = contexto.contienda(c.indice);
    exigir(
      c.selecciones.length === contienda.opciones.length,
      "boleta_no_corresponde_al_manifiesto",
      "El número de selecciones no coincide con las opciones de la contienda (V-B1).",
      { ...donde, contienda: c.indice },
    );
    let alfa = 1n;
    let beta = 1n;
    c.selecciones.forEach((s, k) => {
      verificarRango(contexto, s.cifrado, s.prueba, 1, { ...donde, contienda: c.indice, opcion: k + 1 });
      alfa = (alfa * s.cifrado.alfa) % P;
      beta = (beta * s.cifrado.beta) % P;
    });
    verificarRango(contexto, { alfa, beta }, c.pruebaLimite, contienda.limite_seleccion, { ...donde, contienda: c.indice });
    exigir(
      igualesBytes(hashContienda(contexto, c.indice, c.selecciones.map((s) => s.cifrado)), c.hash),
      "hash_contienda_invalido",
      "El hash de la contienda no coincide (V7.A).",
      { ...donde, contienda: c.indice },
    );
  }
  const aux = datosAuxiliares(b.id, b.estilo, b.credencial);
  exigir(
    igualesBytes(codigoConfirmacion(contexto, b.contiendas.map((c) => c.hash), aux), b.codigo),
    "codigo_confirmacion_invalido",
    "El código de confirmación no coincide (V7.B).",
    donde,
  );
  if (b.credencial === null || b.firma === null) {
    exigir(!exigirCredencial && (b.credencial === null) === (b.firma === null), "firma_credencial_invalida", "La boleta no trae credencial y firma (V-C1).", donde);
    return b;
  }
  verificarFirma(contexto, b.credencial, b.codigo, b.firma, donde);
  return b;
}

/**
 * (8.9)–(8.10) Apertura de Benaloh: verifica la boleta completa y, con ξ_B, re-deriva cada nonce y
 * comprueba α = g^ξ y β = K^ξ (σ = 0) o K^(ξ+1) (σ = 1).  Devuelve {"contienda": [opciones marcadas]}.
 */
export function abrirBoleta(contexto, boletaJson, apertura, opciones = {}) {
  const b = verificarBoleta(contexto, boletaJson, opciones);
  const a = leerDocumento(apertura, "apertura_boleta");
  exigir(
    a.id_boleta === b.id && a.nonce_boleta.length === BYTES_NONCE_BOLETA,
    "apertura_invalida",
    "La apertura no corresponde a la boleta (V12.A).",
    { boleta: b.id },
  );
  const nonce = a.nonce_boleta;
  const resultado = {};
  for (const c of b.contiendas) {
    const marcadas = [];
    c.selecciones.forEach((s, k) => {
      const xi = nonceSeleccion(contexto, nonce, c.indice, k + 1);
      let sigma = null;
      if (s.cifrado.alfa === contexto.gALa(xi)) {
        if (s.cifrado.beta === contexto.kALa(xi)) sigma = 0;
        else if (s.cifrado.beta === contexto.kALa(modulo(xi + 1n, Q))) sigma = 1;
      }
      exigir(sigma !== null, "apertura_invalida", "La selección no se abre con el nonce publicado (V12.B).", {
        boleta: b.id,
        contienda: c.indice,
        opcion: k + 1,
      });
      if (sigma === 1) marcadas.push(k + 1);
    });
    resultado[String(c.indice)] = marcadas;
  }
  return resultado;
}

