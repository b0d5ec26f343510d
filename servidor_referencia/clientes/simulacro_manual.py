"""Una persona vota a mano en el simulacro (``vmre simulacro --pausa``, (22.18)–(22.19)).

Tras la votación automática, el simulacro se detiene con el servidor y la votación abiertos y
entrega a quien lo corre los datos de un participante que no votó: dirección de la cabina,
correo, contraseña, credencial de votación y, cada 30 s, el código TOTP vigente.  Esa persona
vota en su navegador y comprueba su recibo; al pulsar Intro el simulacro cierra y cuenta.

El simulacro no sabe qué marcó esa persona, y no debe saberlo: su boleta es secreta.  El cómputo
se acepta si la diferencia con lo esperado es exactamente una boleta válida de la entidad de ese
participante (22.19).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TextIO

import pyotp

from .simulacro_datos import Participante
from .simulacro_infra import ErrorSimulacro


def elegir_manual(participantes: list[Participante], votantes: list[Participante]) -> Participante:
    """(22.18) El primer participante (por número) que no votó en la fase automática."""
    ya = {p.numero for p in votantes}
    libres = [p for p in participantes if p.numero not in ya]
    if not libres:
        raise ErrorSimulacro("--pausa necesita al menos un participante que no vote (--votos < --participantes).")
    return min(libres, key=lambda p: p.numero)


def _codigos(secreto: str, avisar: Callable[[str], None], alto: threading.Event) -> None:
    totp = pyotp.TOTP(secreto)
    ultimo = -1
    while not alto.is_set():
        paso = int(time.time() // 30)
        if paso != ultimo:
            ultimo = paso
            restan = 30 - int(time.time()) % 30
            avisar(f"  Código TOTP vigente: {totp.at(paso * 30)} (cambia en {restan} s)")
        alto.wait(1.0)


def esperar_persona(url: str, proceso: int, p: Participante, avisar: Callable[[str], None], entrada: TextIO) -> None:
    """(22.18) Imprime cómo votar a mano y espera Intro (o el fin de la entrada)."""
    avisar("")
    avisar("═══ Pausa: vote usted en el navegador ═══")
    avisar(f"  Abra {url}/elector/acceso?siguiente=/sivei/votar/{proceso}")
    avisar(f"  Correo:      {p.correo}")
    avisar(f"  Contraseña:  {p.contrasena}")
    avisar(f"  Credencial:  {p.credencial}")
    avisar(f"  Secreto TOTP (para una app autenticadora): {p.totp_secreto}")
    avisar(f"  Verifique su recibo en {url}/sivei/recibo/{proceso}; tablero en {url}/sivei/tablero/{proceso}")
    avisar("  Pulse Intro aquí cuando termine (o para seguir sin votar).")
    alto = threading.Event()
    hilo = threading.Thread(target=_codigos, args=(p.totp_secreto, avisar, alto), daemon=True)
    hilo.start()
    try:
        entrada.readline()
    finally:
        alto.set()
        hilo.join(timeout=2)


def boleta_manual(
    resultados: dict[str, Any], esperados: dict[int, Counter[int]], entidad: str
) -> dict[int, tuple[int, ...]]:
    """(22.19) Lo que el cómputo tiene de más respecto de lo esperado: debe caber en una boleta de
    ``entidad`` (a lo más un voto por opción, solo en sus contiendas).  Devuelve esas marcas."""
    marcas: dict[int, tuple[int, ...]] = {}
    for c in resultados["contiendas"]:
        indice = int(c["indice"])
        esperado = esperados.get(indice, Counter())
        extra = {int(o["indice"]): int(o["votos"]) - esperado.get(int(o["indice"]), 0) for o in c["opciones"]}
        if any(v < 0 or v > 1 for v in extra.values()):
            raise ErrorSimulacro(f"Contienda {indice}: el cómputo no es lo esperado más una sola boleta.")
        elegidas = tuple(sorted(o for o, v in extra.items() if v))
        if elegidas and entidad not in c.get("estilos", [c.get("estilo")]):
            raise ErrorSimulacro(f"Contienda {indice}: hay un voto de más fuera de la boleta de la entidad {entidad}.")
        if elegidas:
            marcas[indice] = elegidas
    return marcas
