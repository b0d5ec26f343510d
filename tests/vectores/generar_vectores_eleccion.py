"""Genera ``datos/vectores_eleccion.json``: una elección pequeña completa desde una semilla fija.

Uso (desde la raíz del repositorio)::

    PYTHONPATH=. python tests/vectores/generar_vectores_eleccion.py

Bajo ``vmre_crypto.testing.azar.con_semilla`` corre, con la biblioteca y por los mismos
mensajes que entre procesos separados:

1. la ceremonia de llaves con n = 3 custodios y cuórum k = 2 sobre ``manifiesto_ejemplo()``,
   guardando cada mensaje (3 ``compromisos_custodio``, 6 ``comparticion_cifrada``, las
   confirmaciones y el ``registro_llaves``);
2. 4 credenciales y su hash de lista (una por boleta depositada: V-C4 exige a lo sumo una
   boleta depositada por credencial);
3. 4 boletas depositadas (los tres estilos, la contienda 4 con 2 marcas y una boleta con
   una contienda vacía) y 1 boleta desafiada con su ``apertura_boleta``;
4. el escrutinio de las 4 boletas depositadas (la desafiada nunca se cuenta);
5. el descifrado por el cuórum U = (1, 3) anunciado de antemano (el 2 está ausente): cada
   ``descifrado_parcial`` lleva U y sus M_i = A^(w_i·P(i)) ya ponderados, de modo que
   M = ∏ M_i; se guardan los mensajes de las dos rondas y el ``resultado_descifrado``.

Los mensajes se guardan tal como los escribe ``serializar`` (con ``version`` y ``tipo``),
analizados como objetos JSON.  El archivo incluye secretos (coeficientes de los custodios,
sus comparticiones P(ℓ), credenciales secretas y nonces de boleta): son datos de prueba, no de
una elección.  ``test_vectores_eleccion.py`` lo regenera, lo compara byte a byte y lo vuelve
a comprobar de punta a punta con la implementación ingenua (``ingenua.py``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vmre_crypto import (
    BoletaPreparada,
    CombinadorDescifrado,
    ConfiguracionEleccion,
    ConfirmacionComparticiones,
    CoordinadorCeremonia,
    Custodio,
    DescifradorCustodio,
    a_json,
    abrir_boleta,
    acumular,
    cifrar_boleta,
    generar_credencial,
    hash_lista_credenciales,
    serializar,
    verificar_boleta,
    verificar_resultado,
)
from vmre_crypto.boletas import nonce_seleccion
from vmre_crypto.ejemplo import manifiesto_ejemplo
from vmre_crypto.testing.azar import con_semilla

DIRECTORIO = Path(__file__).parent / "datos"
ARCHIVO = DIRECTORIO / "vectores_eleccion.json"
SEMILLA = b"vmre-vectores-eleccion-1"

CUSTODIOS = 3
CUORUM = 2
FECHA = "2027-06-06"
INFO = "Vectores de prueba vmre"
CREDENCIALES = 4
#: Cuórum U anunciado para el descifrado (exactamente k custodios; el 2 está ausente).
PRESENTES = (1, 3)

#: Boletas depositadas: (estilo, marcas por contienda, índice de credencial desde 0).  Cubren
#: los tres estilos, la contienda 4 (límite 2) con 2 marcas, la última opción de una
#: contienda y la contienda 2 vacía.  Cada credencial deposita una sola boleta (V-C4, §8.7).
DEPOSITADAS: tuple[tuple[str, dict[int, tuple[int, ...]], int], ...] = (
    ("CHIH", {1: (3,)}, 0),
    ("JAL", {2: (7,), 4: (1, 4)}, 1),
    ("ZAC", {3: (10,)}, 2),
    ("JAL", {2: (), 4: (2,)}, 3),
)
#: Boleta desafiada (Benaloh): la credencial 1 la desafía antes de depositar la suya (una boleta
#: desafiada no es depositada, así que no cuenta para V-C4).
DESAFIADA: tuple[str, dict[int, tuple[int, ...]], int] = ("JAL", {2: (5,), 4: (2, 3)}, 1)


def _documento(mensaje: Any) -> Any:
    """El mensaje tal como lo escribe ``serializar``, analizado como objeto JSON."""
    return json.loads(serializar(mensaje))


def _ceremonia(configuracion: ConfiguracionEleccion) -> dict[str, Any]:
    """La ceremonia paso a paso (como ``ceremonia_en_proceso``), conservando cada mensaje."""
    custodios = [Custodio.nuevo(configuracion, i, f"Custodio {i}") for i in range(1, CUSTODIOS + 1)]
    coordinador = CoordinadorCeremonia(configuracion)
    compromisos = [c.publicar_compromisos() for c in custodios]
    for mensaje in compromisos:
        coordinador.recibir_compromisos(mensaje)
    publicados = coordinador.compromisos()
    for custodio in custodios:
        if custodio.recibir_compromisos(publicados):
            raise AssertionError("queja inesperada en los compromisos")
    comparticiones = [m for c in custodios for m in c.comparticiones()]
    for mensaje in comparticiones:
        coordinador.recibir_comparticion(mensaje)
    confirmaciones = []
    for custodio in custodios:
        resultado = custodio.recibir_comparticiones(coordinador.comparticiones_para(custodio.indice))
        if not isinstance(resultado, ConfirmacionComparticiones):
            raise AssertionError(f"queja inesperada en las comparticiones: {resultado}")
        coordinador.recibir_resultado_comparticiones(resultado)
        confirmaciones.append(resultado)
    registro = coordinador.registro()
    confirmaciones_registro = [c.confirmar_registro(registro) for c in custodios]
    for mensaje in confirmaciones_registro:
        coordinador.recibir_confirmacion_registro(mensaje)
    registro, contexto = coordinador.finalizar()
    return {
        "custodios": custodios,
        "registro": registro,
        "contexto": contexto,
        "compromisos": compromisos,
        "comparticiones": comparticiones,
        "confirmaciones": confirmaciones,
        "confirmaciones_registro": confirmaciones_registro,
    }


def _boleta(
    contexto: Any, preparada: BoletaPreparada, estilo: str, marcas: Mapping[int, Sequence[int]], credencial: int
) -> dict[str, Any]:
    manifiesto = contexto.manifiesto
    nonces = {
        str(c): [
            a_json(nonce_seleccion(contexto, preparada.nonce_boleta, c, o.indice))
            for o in manifiesto.contienda(c).opciones
        ]
        for c in manifiesto.estilo(estilo).contiendas
    }
    return {
        "estilo": estilo,
        "marcas": {str(c): list(opciones) for c, opciones in sorted(marcas.items())},
        "credencial": credencial,
        "nonce_boleta": a_json(preparada.nonce_boleta),
        "nonces_seleccion": nonces,
        "boleta": _documento(preparada.boleta),
    }


def generar(semilla: bytes = SEMILLA) -> dict[str, Any]:
    """Todos los vectores de la elección para ``semilla``; el resultado solo contiene tipos JSON."""
    manifiesto = manifiesto_ejemplo()
    configuracion = ConfiguracionEleccion(CUSTODIOS, CUORUM, FECHA, INFO, manifiesto)
    with con_semilla(semilla):
        ceremonia = _ceremonia(configuracion)
        contexto = ceremonia["contexto"]
        registro = ceremonia["registro"]
        custodios = ceremonia["custodios"]
        credenciales = [generar_credencial(contexto.grupo) for _ in range(CREDENCIALES)]

        estilo, marcas, cred = DESAFIADA
        desafiada = cifrar_boleta(contexto, estilo, marcas, credenciales[cred])
        verificar_boleta(contexto, desafiada.boleta)
        apertura = desafiada.apertura()
        if abrir_boleta(contexto, desafiada.boleta, apertura) != marcas:
            raise AssertionError("la apertura de Benaloh no reproduce las marcas")
        registro_desafiada = _boleta(contexto, desafiada, estilo, marcas, cred)
        registro_desafiada["apertura"] = _documento(apertura)

        depositadas = []
        for estilo, marcas, cred in DEPOSITADAS:
            preparada = cifrar_boleta(contexto, estilo, marcas, credenciales[cred])
            verificar_boleta(contexto, preparada.boleta)
            depositadas.append((preparada, estilo, marcas, cred))

        escrutinio = acumular(contexto, [p.boleta for p, *_ in depositadas])

        # El combinador anuncia U antes de la ronda 1; cada custodio de U pondera su compartición.
        combinador = CombinadorDescifrado(contexto, registro, escrutinio, PRESENTES)
        descifradores = [DescifradorCustodio(contexto, custodios[i - 1].llave()) for i in PRESENTES]
        parciales = [d.descifrado_parcial(escrutinio, PRESENTES) for d in descifradores]
        for mensaje in parciales:
            combinador.recibir_parcial(mensaje)
        retos = combinador.retos()
        respuestas = [d.responder(retos) for d in descifradores]
        for mensaje in respuestas:
            combinador.recibir_respuesta(mensaje)
        resultado = combinador.resultado()
        verificar_resultado(contexto, escrutinio, resultado)

    esperado = {c.indice: [0] * len(c.opciones) for c in manifiesto.contiendas}
    for _, marcas, _ in DEPOSITADAS:
        for c, opciones in marcas.items():
            for o in opciones:
                esperado[c][o - 1] += 1
    if resultado.conteos() != {c: dict(enumerate(v, start=1)) for c, v in esperado.items()}:
        raise AssertionError("los conteos descifrados no coinciden con las marcas")

    return {
        "descripcion": (
            "Elección completa de vmre generada con con_semilla (ver generar_vectores_eleccion.py). "
            "Incluye secretos: solo datos de prueba."
        ),
        "semilla": semilla.decode("utf-8", errors="replace"),
        "configuracion": {"custodios": CUSTODIOS, "cuorum": CUORUM, "fecha": FECHA, "info": INFO},
        "manifiesto_canonico": manifiesto.bytes_canonicos().decode("utf-8"),
        "h_p": a_json(configuracion.h_p),
        "h_m": a_json(configuracion.h_m),
        "h_b": a_json(configuracion.h_b),
        "h_e": a_json(contexto.h_e),
        "secretos_custodios": [
            {
                "custodio": c.indice,
                "coeficientes": a_json(c.estado.coeficientes),
                "comparticion": a_json(c.llave().comparticion),
            }
            for c in custodios
        ],
        "ceremonia": {
            "compromisos": [_documento(m) for m in ceremonia["compromisos"]],
            "comparticiones": [_documento(m) for m in ceremonia["comparticiones"]],
            "confirmaciones_comparticiones": [_documento(m) for m in ceremonia["confirmaciones"]],
            "registro": _documento(registro),
            "confirmaciones_registro": [_documento(m) for m in ceremonia["confirmaciones_registro"]],
        },
        "credenciales": [{"secreta": a_json(c.secreta), "publica": a_json(c.publica)} for c in credenciales],
        "hash_lista_credenciales": a_json(hash_lista_credenciales(contexto.h_p, [c.publica for c in credenciales])),
        "boletas_depositadas": [_boleta(contexto, *d) for d in depositadas],
        "boleta_desafiada": registro_desafiada,
        "escrutinio": _documento(escrutinio),
        "hash_escrutinio": a_json(escrutinio.hash(contexto)),
        "descifrado": {
            "presentes": list(PRESENTES),
            "parciales": [_documento(m) for m in parciales],
            "retos": _documento(retos),
            "respuestas": [_documento(m) for m in respuestas],
            "resultado": _documento(resultado),
        },
        "conteos_esperados": {str(c): v for c, v in esperado.items()},
    }


def serializar_vectores(vectores: dict[str, Any]) -> str:
    return json.dumps(vectores, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    ARCHIVO.write_text(serializar_vectores(generar()), encoding="utf-8")
    print(f"escrito {ARCHIVO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
