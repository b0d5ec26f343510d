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


def _codigos(secreto: str, ultimo_usado: int, avisar: Callable[[str], None], alto: threading.Event) -> None:
    """Cada 30 s, el código que el servidor aceptará: nunca el de un intervalo ya usado (18.7); si el
    vigente ya se usó (al activar la cuenta), el del intervalo siguiente, que se acepta por la deriva."""
    totp = pyotp.TOTP(secreto)
    mostrado = -1
    while not alto.is_set():
        paso = max(int(time.time() // 30), ultimo_usado + 1)
        if paso != mostrado:
            mostrado = paso
            restan = max(1, (paso + 1) * 30 - int(time.time()))
            avisar(f"  Código TOTP vigente: {totp.at(paso * 30)} (cambia en {restan} s)")
        alto.wait(1.0)


def esperar_persona(url: str, proceso: int, p: Participante, avisar: Callable[[str], None], entrada: TextIO) -> None:
    """(22.18) Imprime cómo votar a mano y espera Intro (o el fin de la entrada)."""
    avisar("")
    avisar("═══ Pausa: vote usted en el navegador ═══")
    avisar(f"  Participante {p.numero}, entidad {p.entidad}")
    avisar(f"  Abra {url}/elector/acceso?siguiente=/sivei/votar/{proceso}")
    avisar(f"  Correo:      {p.correo}")
    avisar(f"  Contraseña:  {p.contrasena}")
    avisar(f"  Credencial:  {p.credencial}")
    avisar(f"  Secreto TOTP (para una app autenticadora): {p.totp_secreto}")
    avisar(f"  Verifique su recibo en {url}/sivei/recibo/{proceso}; tablero en {url}/sivei/tablero/{proceso}")
    alto = threading.Event()
    hilo = threading.Thread(target=_codigos, args=(p.totp_secreto, p.paso_totp, avisar, alto), daemon=True)
    hilo.start()
    time.sleep(0.1)  # el primer código sale antes de la invitación
    avisar("  Pulse Intro aquí cuando termine (o para seguir sin votar).")
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
