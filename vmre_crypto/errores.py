"""Árbol único de excepciones de vmre_crypto.

Toda falla de la biblioteca es una ``ErrorVMRE`` con un ``Motivo`` enumerado y estable
(su valor es el código que el servidor devuelve sin cambios en sus respuestas JSON) y un
mensaje en español.  Los mensajes nunca incluyen valores secretos: solo nombres de campos,
índices y, cuando ayuda al auditor, valores públicos.
"""

from __future__ import annotations

import enum
from typing import Any


class Motivo(enum.Enum):
    """Códigos de motivo estables.  Nunca se renombran ni se reutilizan."""

    # Decodificación y rangos (§2 y §10 de la especificación).
    FUERA_DE_RANGO_Q = "fuera_de_rango_q"
    FUERA_DE_RANGO_P = "fuera_de_rango_p"
    NO_ES_MIEMBRO_SUBGRUPO = "no_es_miembro_subgrupo"
    GRUPO_DISTINTO = "grupo_distinto"
    FORMATO_INVALIDO = "formato_invalido"
    CAMPO_FALTANTE = "campo_faltante"
    CAMPO_DESCONOCIDO = "campo_desconocido"
    TIPO_INVALIDO = "tipo_invalido"
    VERSION_NO_SOPORTADA = "version_no_soportada"
    PARAMETRO_INVALIDO = "parametro_invalido"

    # Pruebas de conocimiento cero (§6).
    SCHNORR_INVALIDA = "schnorr_invalida"
    RANGO_INVALIDA = "prueba_rango_invalida"
    DESCIFRADO_INVALIDO = "prueba_descifrado_invalida"
    FIRMA_CREDENCIAL_INVALIDA = "firma_credencial_invalida"

    # Ceremonia de llaves (§7).
    COMPARTICION_MAC_INVALIDA = "comparticion_mac_invalida"
    COMPARTICION_FELDMAN_INVALIDA = "comparticion_feldman_invalida"
    CUSTODIO_DESCONOCIDO = "custodio_desconocido"
    CUSTODIO_DUPLICADO = "custodio_duplicado"
    CEREMONIA_DETENIDA = "ceremonia_detenida"
    CEREMONIA_FUERA_DE_ORDEN = "ceremonia_fuera_de_orden"
    REGISTRO_LLAVES_DISCREPANTE = "registro_llaves_discrepante"

    # Boletas y credenciales (§8).
    BOLETA_NO_CORRESPONDE_AL_MANIFIESTO = "boleta_no_corresponde_al_manifiesto"
    SELECCION_INVALIDA = "seleccion_invalida"
    LIMITE_EXCEDIDO = "limite_excedido"
    HASH_CONTIENDA_INVALIDO = "hash_contienda_invalido"
    CODIGO_CONFIRMACION_INVALIDO = "codigo_confirmacion_invalido"
    APERTURA_INVALIDA = "apertura_invalida"

    # Escrutinio y descifrado (§9).
    CUORUM_INSUFICIENTE = "cuorum_insuficiente"
    LOGARITMO_FUERA_DE_COTA = "logaritmo_fuera_de_cota"
    DESCIFRADO_INCONSISTENTE = "descifrado_inconsistente"


class ErrorVMRE(Exception):
    """Raíz de todas las excepciones de la biblioteca.

    ``motivo`` es estable y serializable; ``detalles`` solo contiene datos públicos
    (índices, identificadores, nombres de campo) que ayudan a localizar la falla.
    """

    def __init__(self, motivo: Motivo, mensaje: str, **detalles: Any) -> None:
        super().__init__(mensaje)
        self.motivo = motivo
        self.mensaje = mensaje
        self.detalles = detalles

    def como_dict(self) -> dict[str, Any]:
        """Forma JSON del error, la misma que usa el servidor en su sobre de errores."""
        return {"codigo": self.motivo.value, "mensaje": self.mensaje, "detalles": self.detalles}

    def __str__(self) -> str:
        if not self.detalles:
            return f"[{self.motivo.value}] {self.mensaje}"
        extra = ", ".join(f"{k}={v}" for k, v in sorted(self.detalles.items()))
        return f"[{self.motivo.value}] {self.mensaje} ({extra})"


class ErrorDecodificacion(ErrorVMRE):
    """Un dato externo no tiene la forma, el tipo o el rango que la especificación exige."""


class ErrorVerificacion(ErrorVMRE):
    """Una prueba, firma, hash o relación algebraica no se cumple."""


class ErrorCeremonia(ErrorVMRE):
    """La ceremonia de llaves no puede continuar (queja, mensaje fuera de orden, …)."""


class ErrorBoleta(ErrorVMRE):
    """La boleta no corresponde al manifiesto o a las selecciones permitidas."""


class ErrorDescifrado(ErrorVMRE):
    """El descifrado conjunto no puede completarse o no es consistente."""
