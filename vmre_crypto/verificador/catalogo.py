"""Catálogo de las comprobaciones del verificador del registro, en el orden en que se informan.

Cada identificador es el de la especificación (§11 y §14.5); la descripción es la línea que ve
el auditor.
"""

from __future__ import annotations

__all__ = ["COMPROBACIONES", "DESCRIPCIONES"]

COMPROBACIONES: tuple[tuple[str, str], ...] = (
    ("V-T1", "Cadena del tablero: índices, enlaces, hashes de objeto y de entrada, horas no decrecientes"),
    ("V-T2", "Estructura del registro: documentos bien formados, en el orden de §14.3"),
    ("V-G", "Pertenencia al subgrupo y rangos de todos los valores publicados (V-G1, V-G2)"),
    ("V1", "Parámetros: H_P, H_M y H_B recalculados coinciden con el acta de inicio"),
    ("V2", "Compromisos de los custodios con pruebas de Schnorr válidas (V-K1, V2.A, V2.B)"),
    ("V3-V4", "Registro de llaves: K, llaves de verificación, H_E y H_R recalculados (V3, V4, V-K6)"),
    ("V-C2", "Lista de credenciales: orden creciente estricto, cantidad y hash H_C"),
    ("V-A1", "Acta de inicio concuerda con el registro y con la cabeza del tablero"),
    ("V-B1", "Cada boleta corresponde a su estilo del manifiesto"),
    ("V5", "Pruebas de rango 0..1 de cada selección"),
    ("V6", "Pruebas del límite de selección de cada contienda"),
    ("V7.A", "Hashes de contienda"),
    ("V7.B", "Códigos de confirmación"),
    ("V-C1", "Firmas con la credencial"),
    ("V-C3", "Credenciales de las boletas inscritas en la lista publicada"),
    ("V7.C", "Identificadores y códigos de confirmación únicos"),
    ("V-B2", "Cada cifrado de selección es único entre todas las boletas (sin réplicas ni copias)"),
    ("V-C4", "A lo sumo una boleta depositada por credencial"),
    ("V12", "Boletas desafiadas: la apertura con ξ_B reproduce cada selección (V12.A, V12.B)"),
    ("V12.C", "Ninguna boleta desafiada se deposita ni se cuenta"),
    ("V8", "Escrutinio = producto exacto de las boletas depositadas, válidas y no desafiadas"),
    ("V-D1", "Mensajes de descifrado ligados al escrutinio (H_T) y al cuórum"),
    ("V-D2", "Descifrado parcial de cada custodio del cuórum (M_i, compromisos, retos, respuestas)"),
    ("V9", "Pruebas conjuntas de descifrado correcto"),
    ("V10", "Conteos: B·M⁻¹ = K^t con 0 ≤ t ≤ N_c"),
    ("V-A2", "Acta de cómputo concuerda con el resultado descifrado y con la cabeza del tablero"),
)

DESCRIPCIONES: dict[str, str] = dict(COMPROBACIONES)
