"""Cliente del elector (§20.2): cifra y firma en su propio dispositivo y habla HTTP con el servidor.

El servidor nunca recibe la credencial secreta ni las marcas en claro: solo la boleta cifrada y
firmada (y, si el elector desafía, el nonce ξ_B de esa boleta, que la abre y la descarta).
"""

from __future__ import annotations

import json
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    BoletaPreparada,
    ContextoEleccion,
    ParCredencial,
    a_json,
    cifrar_boleta,
    decodificar_credencial_secreta,
    deserializar,
    serializar,
)

from .api_json import ClienteJSON, ErrorCliente


class ErrorVotante(ErrorCliente):
    """Falla que la orden muestra tal cual: código estable y mensaje en español."""


def leer_marcas(texto: str) -> dict[int, tuple[int, ...]]:
    """``{"1": [3], "4": [1, 2]}`` → contienda → opciones marcadas."""
    try:
        datos = json.loads(texto)
    except ValueError:
        raise ErrorVotante("seleccion_invalida", "La selección no es JSON válido.") from None
    if not isinstance(datos, dict):
        raise ErrorVotante("seleccion_invalida", 'La selección debe ser un objeto: {"contienda": [opciones]}.')
    marcas: dict[int, tuple[int, ...]] = {}
    for clave, valor in datos.items():
        if not str(clave).isdigit() or not isinstance(valor, list) or not all(type(v) is int for v in valor):
            raise ErrorVotante(
                "seleccion_invalida", f"Contienda «{clave}»: se esperaba una lista de números de opción."
            )
        marcas[int(clave)] = tuple(sorted(valor))
    return marcas


def leer_credencial(texto: str) -> ParCredencial:
    try:
        return decodificar_credencial_secreta(GRUPO_ESTANDAR, texto)
    except Exception as e:  # ErrorDecodificacion: el texto tiene un error de copia
        raise ErrorVotante("credencial_invalida", f"La credencial no se pudo leer: {e}") from None


class ClienteVotante(ClienteJSON):
    """La API del servidor vista por el elector (biblioteca estándar)."""

    Error = ErrorVotante
    CODIGO_SIN_CONEXION = "conexion"

    def _pedir(self, metodo: str, ruta: str, cuerpo: dict[str, Any] | None = None) -> Any:
        return self.pedir(metodo, ruta, cuerpo)

    def iniciar_sesion(self, correo: str, contrasena: str, codigo: str) -> None:
        r = self._pedir("POST", "/elector/sesion", {"correo": correo, "contrasena": contrasena, "codigo": codigo})
        self.testigo = r["testigo"]

    def boleta(self, proceso: int) -> tuple[dict[str, Any], ContextoEleccion]:
        """La boleta de la entidad del elector y el contexto (decodificarlo comprueba H_E)."""
        datos = self._pedir("GET", f"/sivei/votacion/{proceso}/boleta")
        try:
            contexto = deserializar(json.dumps(datos["contexto"]), ContextoEleccion, GRUPO_ESTANDAR)
        except Exception as e:
            raise ErrorVotante("contexto_invalido", f"El contexto de la elección no es válido: {e}") from None
        if contexto.h_e.hex().upper() != str(datos.get("h_e", "")).upper():
            raise ErrorVotante("contexto_invalido", "El H_E anunciado no es el del contexto recibido.")
        return datos, contexto

    @staticmethod
    def preparar(
        contexto: ContextoEleccion, estilo: str, marcas: dict[int, tuple[int, ...]], credencial: ParCredencial
    ) -> BoletaPreparada:
        try:
            return cifrar_boleta(contexto, estilo, marcas, credencial)
        except Exception as e:  # ErrorBoleta: marcas fuera del estilo o del límite
            raise ErrorVotante("seleccion_invalida", f"No se pudo cifrar la boleta: {e}") from None

    def depositar(self, proceso: int, preparada: BoletaPreparada) -> dict[str, Any]:
        documento = json.loads(serializar(preparada.boleta))
        return dict(self._pedir("POST", f"/sivei/votacion/{proceso}/depositar", {"boleta": documento}))

    def desafiar(self, proceso: int, preparada: BoletaPreparada) -> dict[str, Any]:
        cuerpo = {
            "boleta": json.loads(serializar(preparada.boleta)),
            "apertura": json.loads(serializar(preparada.apertura())),
        }
        return dict(self._pedir("POST", f"/sivei/votacion/{proceso}/desafiar", cuerpo))


def codigo_de(preparada: BoletaPreparada) -> str:
    """El código de confirmación tal como aparece en el tablero (hexadecimal en mayúsculas)."""
    return str(a_json(preparada.boleta.codigo_confirmacion))
