"""El descifrado del custodio contra el servidor (§21.3): ``vmre custodio descifrar``.

Corre en la máquina del custodio.  Su compartición P(ℓ) se reconstruye con su archivo de estado y
lo que el servidor conserva (19.6); nunca sale de este proceso.  Los nonces u_ℓ de la ronda 1
viven solo en la memoria de este proceso (``DescifradorCustodio``): si el proceso muere entre las
dos rondas, se vuelve a empezar con nonces nuevos; nunca se guardan (§9.4).

Antes de descifrar, el custodio descarga el tablero público, comprueba su cadena (14.2),
RECONSTRUYE el escrutinio con las boletas depositadas (las desafiadas no cuentan) y exige que su
H_T sea el del escrutinio publicado (21.16): nunca descifra un escrutinio que no recalculó.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    BoletaCifrada,
    ConfiguracionEleccion,
    ContextoEleccion,
    DescifradorCustodio,
    ErrorVMRE,
    EscrutinioCifrado,
    LlaveCustodio,
    RegistroLlaves,
    RetosDescifrado,
    acumular,
    deserializar,
    hash_entrada,
    hash_objeto,
    serializar,
    texto_canonico,
)

from .api_json import TIEMPO_ESPERA_HTTP
from .custodio_ceremonia import ClienteCustodio
from .custodio_estado import ErrorCustodio

INTERVALO_SONDEO = 0.5


class FueraDeCuorum(ErrorCustodio):
    """El cuórum ya se fijó sin este custodio (salida 3)."""


class EscrutinioDiscrepante(ErrorCustodio):
    """El escrutinio publicado no es el que el custodio recalcula con las boletas (salida 4)."""


def descargar_tablero(api: ClienteCustodio, proceso: int) -> str:
    """El tablero público completo (``tablero.jsonl``, §20.9)."""
    url = f"{api.base}/sivei/tablero/{proceso}/tablero.jsonl"
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=TIEMPO_ESPERA_HTTP) as r:
            return str(r.read().decode("utf-8"))
    except (urllib.error.URLError, OSError) as e:
        raise ErrorCustodio("sin_conexion", f"No se pudo descargar el tablero: {e}.") from None


def escrutinio_recalculado(
    texto: str,
) -> tuple[ContextoEleccion, RegistroLlaves, EscrutinioCifrado, EscrutinioCifrado]:
    """(21.16) Cadena del tablero, contexto desde el tablero, escrutinio recalculado y el publicado."""
    lineas = [json.loads(x) for x in texto.splitlines() if x]
    if not lineas or lineas[0]["objeto"].get("tipo") != "configuracion_eleccion":
        raise EscrutinioDiscrepante("tablero_invalido", "El tablero no empieza con la configuración de la elección.")
    try:
        configuracion = deserializar(texto_canonico(lineas[0]["objeto"]), ConfiguracionEleccion, GRUPO_ESTANDAR)
        h_p = configuracion.h_p
        anterior = bytes(32)
        registro: RegistroLlaves | None = None
        boletas: list[BoletaCifrada] = []
        publicado: EscrutinioCifrado | None = None
        for numero, linea in enumerate(lineas):
            objeto = texto_canonico(linea["objeto"])
            entrada = linea["entrada"]
            h_obj = hash_objeto(h_p, objeto)
            h_ent = hash_entrada(h_p, numero, entrada["tipo"], anterior, h_obj, entrada["tiempo"])
            if (
                entrada["indice"] != numero
                or entrada["hash_anterior"].lower() != anterior.hex()
                or entrada["hash_objeto"].lower() != h_obj.hex()
                or entrada["hash_entrada"].lower() != h_ent.hex()
                or entrada["tipo"] != linea["objeto"].get("tipo")
            ):
                raise EscrutinioDiscrepante(
                    "tablero_invalido", f"La cadena del tablero se rompe en la entrada {numero} (14.2)."
                )
            anterior = h_ent
            tipo = entrada["tipo"]
            if tipo == "registro_llaves":
                registro = deserializar(objeto, RegistroLlaves, GRUPO_ESTANDAR)
            elif tipo == "boleta_cifrada":
                boletas.append(deserializar(objeto, BoletaCifrada, GRUPO_ESTANDAR))
            elif tipo == "escrutinio_cifrado":
                publicado = deserializar(objeto, EscrutinioCifrado, GRUPO_ESTANDAR)
    except (KeyError, TypeError, AttributeError, ValueError, ErrorVMRE) as e:
        if isinstance(e, ErrorCustodio):
            raise
        raise EscrutinioDiscrepante("tablero_invalido", f"El tablero no se puede leer: {e}") from None
    if registro is None or publicado is None:
        raise EscrutinioDiscrepante("tablero_invalido", "El tablero no tiene registro de llaves o escrutinio.")
    contexto = ContextoEleccion.crear(configuracion, registro.llave_conjunta)
    return contexto, registro, acumular(contexto, boletas), publicado


class DescifradoCustodio:
    """Un custodio en el descifrado de un proceso: avisa, espera el cuórum y responde las dos rondas."""

    def __init__(
        self,
        api: ClienteCustodio,
        proceso: int,
        llave: Callable[[], LlaveCustodio],
        espera: float = 600.0,
        avisar: Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.proceso = proceso
        self.llave = llave
        self.espera = espera
        self.avisar = avisar or (lambda _t: None)
        self.raiz = f"/sivei/computo/{proceso}"

    def _esperar(self, listo: Callable[[], Any], que: str) -> Any:
        limite = time.monotonic() + self.espera
        while True:
            valor = listo()
            if valor is not None:
                return valor
            if time.monotonic() >= limite:
                raise ErrorCustodio("tiempo_agotado", f"Se agotó la espera: {que}.")
            time.sleep(INTERVALO_SONDEO)

    def descifrar(self) -> str:
        """Todo el descifrado de este custodio; devuelve el hash del resultado publicado."""
        llave = self.llave()
        estado = self.api.pedir("POST", f"{self.raiz}/disponible", {})
        indice = estado["custodio"]
        self.avisar(f"Custodio {indice}: disponible; esperando el cuórum.")
        while True:

            def cuorum_fijo() -> dict[str, Any] | None:
                e = self.api.pedir("GET", self.raiz)
                if e["estado"] == "computada" or indice in e["excluidos"] or e["cuorum"]:
                    return dict(e)
                return None

            estado = self._esperar(cuorum_fijo, "el cuórum no se completó")
            if estado["estado"] == "computada" and indice in (estado["cuorum"] or []):
                return str(estado["hash_resultado"])
            if indice in estado["excluidos"]:
                raise ErrorCustodio("custodio_excluido", "El servidor excluyó a este custodio del descifrado.")
            if indice not in estado["cuorum"]:
                raise FueraDeCuorum(
                    "fuera_de_cuorum",
                    f"El cuórum ya está completo sin este custodio: U = {estado['cuorum']}.",
                )
            if indice in estado["parciales"] and estado["estado"] == "cerrada":
                # (21.18) Este custodio ya envió su parcial en esta ronda y sus nonces se perdieron
                # con el proceso anterior: pide una ronda nueva (mismo U) y empieza con nonces nuevos.
                self.avisar(
                    f"Custodio {indice}: su parcial de la ronda {estado['ronda']} quedó sin nonces; se reinicia."
                )
                estado = self.api.pedir("POST", f"{self.raiz}/reiniciar", {})
            hecho = self._ronda(llave, indice, estado)
            if hecho is not None:
                return hecho

    def _enviar(self, que: str, ronda: int, documento: str) -> bool:
        """Envía un mensaje de la ronda; False si el servidor ya pasó a otra ronda (21.11, 21.18)."""
        try:
            self.api.pedir("POST", f"{self.raiz}/{que}", {"ronda": ronda, "documento": documento})
        except ErrorCustodio as e:
            if e.codigo == "computo_ronda_vieja":
                return False
            raise
        return True

    def _ronda(self, llave: LlaveCustodio, indice: int, estado: dict[str, Any]) -> str | None:
        """Una ronda con U fijado; None si el servidor rehízo el cuórum (otra ronda)."""
        ronda, cuorum = estado["ronda"], tuple(estado["cuorum"])
        texto = descargar_tablero(self.api, self.proceso)
        contexto, registro, recalculado, publicado = escrutinio_recalculado(texto)
        h_t = recalculado.hash(contexto).hex().upper()
        h_publicado = publicado.hash(contexto).hex().upper()
        # La llave de este custodio es la del registro del tablero: g^P(ℓ) = K̂_ℓ (V-D2).
        if contexto.grupo.g_a_la_secreta(llave.comparticion) != registro.llave_verificacion(indice):
            raise EscrutinioDiscrepante(
                "eleccion_discrepante", "El registro de llaves del tablero no corresponde a la llave de este custodio."
            )
        if h_t != h_publicado or serializar(recalculado) != serializar(publicado) or h_t != estado["h_t"].upper():
            raise EscrutinioDiscrepante(
                "escrutinio_discrepante",
                f"El escrutinio publicado (H_T = {h_publicado}) no es el que este custodio recalculó con las "
                f"boletas depositadas del tablero (H_T = {h_t}); no se descifra.",
            )
        self.avisar(f"Custodio {indice}: H_T = {h_t} recalculado; ronda {ronda}, cuórum {list(cuorum)}.")
        descifrador = DescifradorCustodio(contexto, llave)
        parcial = descifrador.descifrado_parcial(recalculado, cuorum)  # nonces nuevos, solo en memoria
        if not self._enviar("parcial", ronda, serializar(parcial)):
            return None

        def retos_o_cambio() -> dict[str, Any] | None:
            e = self.api.pedir("GET", self.raiz)
            if e["ronda"] != ronda or e["retos_listos"] or e["estado"] == "computada":
                return dict(e)
            return None

        e = self._esperar(retos_o_cambio, "faltan descifrados parciales del cuórum")
        if e["ronda"] != ronda:
            return None
        retos_doc = self.api.pedir("GET", f"{self.raiz}/retos")
        if retos_doc["ronda"] != ronda:
            return None
        retos = deserializar(retos_doc["documento"], RetosDescifrado, GRUPO_ESTANDAR)
        respuesta = descifrador.responder(retos)
        if not self._enviar("respuesta", ronda, serializar(respuesta)):
            return None

        def final() -> dict[str, Any] | None:
            e = self.api.pedir("GET", self.raiz)
            if e["estado"] == "computada" or e["ronda"] != ronda:
                return dict(e)
            return None

        e = self._esperar(final, "faltan respuestas del cuórum")
        if e["estado"] == "computada":
            return str(e["hash_resultado"])
        return None
