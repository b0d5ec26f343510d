// Contexto de la elección en el dispositivo (§4, §23.5): se recibe en JSON del servidor y se
// comprueba recomputando la cadena H_P → H_M → H_B → H_E con la llave K.  Si el servidor mandara
// otra llave u otro manifiesto, H_E no coincidiría con el publicado en el acta de inicio.

import { ErrorVmre } from "./errores.js";
import { G, P, Q, gALa, tablaDeG } from "./grupo.js";
import { H, Dominio, bP, bQ, concatenar, entero4 } from "./hash.js";
import { igualesBytes } from "./bytes.js";
import { TablaBaseFija } from "./aritmetica.js";
import { textoCanonico } from "./canonico.js";
import { exigir, leerDocumento } from "./documentos.js";

const utf8 = (texto) => new TextEncoder().encode(texto);

/** §4.1: clave de versión de H_P, UTF-8 de "v2.0.0" seguido de 26 bytes cero. */
const VERSION_EG = concatenar([utf8("v2.0.0"), new Uint8Array(26)]);

/** H_P = H(ver; 0x00 ∥ b(p, l_p) ∥ b(q, l_q) ∥ b(g, l_p)), ecuación (4.1). */
export function hashParametros() {
  return H(VERSION_EG, concatenar([Uint8Array.of(Dominio.H_P), bP(P), bQ(Q), bP(G)]));
}

/** H_M = H(H_P; 0x01 ∥ JSON canónico del manifiesto), ecuación (4.2). */
export function hashManifiesto(hP, manifiesto) {
  return H(hP, concatenar([Uint8Array.of(Dominio.H_M), utf8(textoCanonico(manifiesto))]));
}

/** H_B = H(H_P; 0x02 ∥ b(n,4) ∥ b(k,4) ∥ UTF-8(fecha) ∥ UTF-8(info) ∥ H_M), ecuación (4.3). */
export function hashBase(hP, n, k, fecha, info, hM) {
  return H(hP, concatenar([Uint8Array.of(Dominio.H_B), entero4(n), entero4(k), utf8(fecha), utf8(info), hM]));
}

/** H_E = H(H_B; 0x12 ∥ b(K, l_p)), ecuación (4.4). */
export function hashExtendido(hB, llave) {
  return H(hB, concatenar([Uint8Array.of(Dominio.H_E), bP(llave)]));
}

function revisarManifiesto(m) {
  // La forma que el cifrado usa (§8.2): contiendas y opciones numeradas desde 1 en orden, límites
  // 1..m y estilos con contiendas existentes en orden creciente.  El resto lo fija H_M.
  const invalido = (mensaje) => new ErrorVmre("contexto_invalido", `El manifiesto no es válido: ${mensaje}`);
  if (!m || !Array.isArray(m.contiendas) || !Array.isArray(m.estilos)) throw invalido("faltan contiendas o estilos.");
  m.contiendas.forEach((c, i) => {
    if (c.indice !== i + 1 || !Array.isArray(c.opciones) || c.opciones.length === 0) {
      throw invalido(`contienda ${i + 1}.`);
    }
    c.opciones.forEach((o, j) => {
      if (o.indice !== j + 1) throw invalido(`opción ${j + 1} de la contienda ${i + 1}.`);
    });
    if (!Number.isInteger(c.limite_seleccion) || c.limite_seleccion < 1 || c.limite_seleccion > c.opciones.length) {
      throw invalido(`límite de la contienda ${i + 1}.`);
    }
  });
  for (const e of m.estilos) {
    const ok =
      typeof e.identificador === "string" &&
      Array.isArray(e.contiendas) &&
      e.contiendas.length > 0 &&
      e.contiendas.every((c, i) => Number.isInteger(c) && c >= 1 && c <= m.contiendas.length && (i === 0 || c > e.contiendas[i - 1]));
    if (!ok) throw invalido(`estilo «${e.identificador}».`);
  }
}

export class Contexto {
  constructor(doc, llave, hP, hB, hE) {
    this.documento = doc;
    this.configuracion = doc.configuracion;
    this.manifiesto = doc.configuracion.manifiesto;
    this.llave = llave;
    this.h_p = hP;
    this.h_b = hB;
    this.h_e = hE;
    this.tablaK = null;
  }

  /** Tablas de base fija de g y de K (§2.4.2); idempotente.  Se llama en el Web Worker. */
  prepararTablas() {
    tablaDeG();
    if (this.tablaK === null) this.tablaK = new TablaBaseFija(this.llave, P, Q);
  }

  gALa(e) {
    return gALa(e);
  }

  kALa(e) {
    this.prepararTablas();
    return this.tablaK.potencia(e);
  }

  contienda(indice) {
    const c = this.manifiesto.contiendas[indice - 1];
    if (!c) throw new ErrorVmre("parametro_invalido", `No existe la contienda ${indice}.`);
    return c;
  }

  estilo(identificador) {
    const e = this.manifiesto.estilos.find((x) => x.identificador === identificador);
    if (!e) throw new ErrorVmre("parametro_invalido", `No existe el estilo de boleta «${identificador}».`);
    return e;
  }
}

/**
 * (23.5) Lee el contexto que envía el servidor y lo comprueba: forma, K ∈ Z_p^r \ {1} (V-G2, V3.B) y
 * la cadena de hashes (V1, V4).  Cualquier discrepancia: `contexto_invalido`.
 */
export function contextoDesdeJson(doc) {
  try {
    const d = leerDocumento(doc, "contexto_eleccion"); // forma, rango y V-G2 de K
    const cfg = d.configuracion;
    exigir(1 <= cfg.cuorum && cfg.cuorum <= cfg.custodios, "parametro_invalido", "Se requiere 1 ≤ k ≤ n (§4.3).");
    exigir(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(cfg.fecha), "parametro_invalido", "La fecha debe tener la forma AAAA-MM-DD (§4.3).");
    revisarManifiesto(cfg.manifiesto);
    exigir(d.llave !== 1n, "parametro_invalido", "La llave conjunta no puede ser 1 (V3.B).");
    // H_M se calcula sobre el manifiesto tal como llegó (ya se comprobó que solo trae sus campos).
    const hP = hashParametros();
    const hB = hashBase(hP, cfg.custodios, cfg.cuorum, cfg.fecha, cfg.info, hashManifiesto(hP, doc.configuracion.manifiesto));
    const hE = hashExtendido(hB, d.llave);
    exigir(igualesBytes(d.h_p, hP), "parametro_invalido", "H_P no corresponde al grupo estándar (V1).", { campo: "h_p" });
    exigir(igualesBytes(d.h_b, hB), "parametro_invalido", "H_P o H_B no corresponden a la configuración (V1).", { campo: "h_b" });
    exigir(igualesBytes(d.h_e, hE), "parametro_invalido", "H_E no corresponde a H_B y a la llave conjunta (V4).", { campo: "h_e" });
    return new Contexto(doc, d.llave, hP, hB, hE);
  } catch (e) {
    if (e instanceof ErrorVmre && e.codigo !== "contexto_invalido") {
      throw new ErrorVmre("contexto_invalido", `El contexto de la elección no es válido: ${e.mensaje}`, { motivo: e.codigo, ...e.detalles });
    }
    throw e;
  }
}
