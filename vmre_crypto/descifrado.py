"""Descifrado por umbral del escrutinio con prueba conjunta (§9.2–9.5).

Cualquier cuórum U de k custodios descifra; los ausentes no hacen nada y su secreto nunca
se reconstruye (EG 2.0 nota 3.5).  El combinador anuncia U antes de empezar, de modo que cada
custodio conoce su peso de Lagrange w_i (7.6) y trabaja con su compartición ponderada
s_i = w_i·P(i) (Σ_(i∈U) s_i = s).  Dos rondas de mensajes por escrutinio:

1. Cada custodio i ∈ U envía ``DescifradoParcial``: para cada cifrado (A, B) del escrutinio,
   M_i = A^(s_i) y el compromiso (a_i, b_i) = (g^(u_i), A^(u_i)), todo en tiempo constante (9.3).
2. El combinador calcula M = ∏ M_i, a = ∏ a_i, b = ∏ b_i y c (6.7), y envía
   ``RetosDescifrado``.  Cada custodio responde una sola vez v_i = u_i − c·s_i (9.4).
3. El combinador publica la prueba (c, v = Σ v_i) y la verifica (V9); si falla, verifica a
   cada custodio contra su llave de verificación ponderada K̂_i^(w_i) = g^(s_i) (V-D2) y nombra
   al culpable.  Finalmente T = B·M^(−1) = K^t y t sale del logaritmo discreto acotado (V10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .ceremonia import LlaveCustodio, RegistroLlaves
from .eleccion import ContextoEleccion
from .errores import ErrorDescifrado, ErrorVerificacion, Motivo
from .escrutinio import EscrutinioCifrado
from .primitivas.elgamal import potencia_de_llave
from .primitivas.grupo import ElementoP, ElementoQ
from .primitivas.logaritmo import logaritmo_discreto
from .primitivas.pruebas_zk.descifrado import (
    PruebaDescifrado,
    reto_descifrado,
    verificar_descifrado,
    verificar_respuesta_parcial,
)
from .primitivas.shamir import pesos_lagrange

__all__ = [
    "CombinadorDescifrado",
    "DescifradoParcial",
    "DescifradorCustodio",
    "OpcionDescifrada",
    "ParteDescifrado",
    "RespuestaDescifrado",
    "ResultadoDescifrado",
    "RetosDescifrado",
    "descifrar_en_proceso",
    "verificar_resultado",
]


@dataclass(frozen=True, slots=True)
class ParteDescifrado:
    """M_i = A^(w_i·P(i)) y el compromiso (a_i, b_i) de un custodio para un cifrado (9.3)."""

    m: ElementoP
    a: ElementoP
    b: ElementoP


@dataclass(frozen=True, slots=True)
class DescifradoParcial:
    custodio: int
    hash_escrutinio: bytes
    cuorum: tuple[int, ...]
    partes: tuple[ParteDescifrado, ...]


@dataclass(frozen=True, slots=True)
class RetosDescifrado:
    hash_escrutinio: bytes
    cuorum: tuple[int, ...]
    retos: tuple[ElementoQ, ...]


@dataclass(frozen=True, slots=True)
class RespuestaDescifrado:
    custodio: int
    hash_escrutinio: bytes
    respuestas: tuple[ElementoQ, ...]


@dataclass(frozen=True, slots=True)
class OpcionDescifrada:
    """Resultado publicado de una opción: M, la prueba (c, v) y el conteo t."""

    contienda: int
    opcion: int
    m: ElementoP
    prueba: PruebaDescifrado
    conteo: int


@dataclass(frozen=True, slots=True)
class ResultadoDescifrado:
    hash_escrutinio: bytes
    cuorum: tuple[int, ...]
    opciones: tuple[OpcionDescifrada, ...]

    def conteos(self) -> dict[int, dict[int, int]]:
        salida: dict[int, dict[int, int]] = {}
        for o in self.opciones:
            salida.setdefault(o.contienda, {})[o.opcion] = o.conteo
        return salida


class DescifradorCustodio:
    """Lado del custodio: conserva P(i) y los nonces u_i entre las dos rondas, y los usa una vez."""

    def __init__(self, contexto: ContextoEleccion, llave: LlaveCustodio) -> None:
        self.contexto = contexto
        self.llave = llave
        self._pendientes: dict[bytes, tuple[list[ElementoQ], tuple[int, ...], ElementoQ]] = {}

    def __repr__(self) -> str:
        return f"DescifradorCustodio(custodio={self.llave.custodio})"

    def descifrado_parcial(self, escrutinio: EscrutinioCifrado, cuorum: Sequence[int]) -> DescifradoParcial:
        """Ronda 1 (9.3) para el cuórum anunciado U.

        Puede pedirse de nuevo (p. ej. con otro cuórum tras excluir a un custodio culpable):
        cada llamada usa nonces u_i nuevos y descarta los anteriores, de modo que ningún u_i
        responde a dos retos distintos (§9.4).
        """
        u_cuorum = _validar_cuorum(self.contexto, cuorum)
        i = self.llave.custodio
        if i not in u_cuorum:
            raise ErrorDescifrado(Motivo.CEREMONIA_FUERA_DE_ORDEN, "El custodio no está en el cuórum.", custodio=i)
        h_t = escrutinio.hash(self.contexto)
        grupo = self.contexto.grupo
        # s_i = w_i·P(i): su filtración revelaría P(i); u_i revela s_i junto con v_i.  Todas las
        # exponenciaciones de esta ronda son de tiempo constante (§2.4.4).
        ponderada = pesos_lagrange(grupo, u_cuorum)[i] * self.llave.comparticion
        partes, nonces = [], []
        for _, _, cifrado in escrutinio.cifrados():
            u = grupo.aleatorio_q()
            partes.append(
                ParteDescifrado(
                    cifrado.alfa.potencia_secreta(ponderada),
                    grupo.g_a_la_secreta(u),
                    cifrado.alfa.potencia_secreta(u),
                )
            )
            nonces.append(u)
        self._pendientes[h_t] = (nonces, u_cuorum, ponderada)
        return DescifradoParcial(i, h_t, u_cuorum, tuple(partes))

    def responder(self, retos: RetosDescifrado) -> RespuestaDescifrado:
        """Ronda 2 (9.4): responde una sola vez por juego de compromisos; luego olvida los u_i."""
        pendiente = self._pendientes.pop(retos.hash_escrutinio, None)
        if pendiente is None:
            raise ErrorDescifrado(
                Motivo.CEREMONIA_FUERA_DE_ORDEN,
                "No hay compromisos pendientes para ese escrutinio (o ya se respondió).",
            )
        nonces, cuorum, ponderada = pendiente
        if tuple(retos.cuorum) != cuorum or len(retos.retos) != len(nonces):
            raise ErrorDescifrado(
                Motivo.CEREMONIA_FUERA_DE_ORDEN,
                "Los retos no corresponden al cuórum ni a los compromisos de este custodio.",
                cuorum=list(retos.cuorum),
            )
        respuestas = tuple(u - c * ponderada for u, c in zip(nonces, retos.retos, strict=True))
        return RespuestaDescifrado(self.llave.custodio, retos.hash_escrutinio, respuestas)


def _validar_cuorum(contexto: ContextoEleccion, cuorum: Sequence[int]) -> tuple[int, ...]:
    """Un cuórum son exactamente k índices distintos de 1..n, en orden creciente."""
    configuracion = contexto.configuracion
    validos = all(not isinstance(x, bool) and isinstance(x, int) for x in cuorum)
    ordenado = tuple(sorted(cuorum)) if validos else ()
    if (
        len(ordenado) != configuracion.cuorum
        or len(set(ordenado)) != len(ordenado)
        or any(not 1 <= x <= configuracion.custodios for x in ordenado)
    ):
        raise ErrorDescifrado(
            Motivo.CUORUM_INSUFICIENTE,
            f"El cuórum debe tener exactamente {configuracion.cuorum} custodios distintos de 1..{configuracion.custodios}.",
            cuorum=list(cuorum),
        )
    return ordenado


class CombinadorDescifrado:
    """Lado público (servidor): combina las partes del cuórum, emite retos y publica el resultado."""

    def __init__(
        self,
        contexto: ContextoEleccion,
        registro: RegistroLlaves,
        escrutinio: EscrutinioCifrado,
        cuorum: Sequence[int],
    ) -> None:
        """``cuorum`` es el conjunto U anunciado a los custodios (k índices de 1..n)."""
        self.cuorum = _validar_cuorum(contexto, cuorum)
        self.contexto = contexto
        self.registro = registro
        self.escrutinio = escrutinio
        self.h_t = escrutinio.hash(contexto)
        self._lista = escrutinio.cifrados()
        self._parciales: dict[int, DescifradoParcial] = {}
        self._respuestas: dict[int, RespuestaDescifrado] = {}
        self._retos: RetosDescifrado | None = None
        self._combinados: list[tuple[ElementoP, ElementoP, ElementoP]] = []

    def recibir_parcial(self, mensaje: DescifradoParcial) -> None:
        if mensaje.custodio not in self.cuorum:
            raise ErrorDescifrado(
                Motivo.CUSTODIO_DESCONOCIDO, "El custodio no está en el cuórum anunciado.", custodio=mensaje.custodio
            )
        if (
            mensaje.hash_escrutinio != self.h_t
            or tuple(mensaje.cuorum) != self.cuorum
            or len(mensaje.partes) != len(self._lista)
        ):
            raise ErrorDescifrado(
                Motivo.DESCIFRADO_INCONSISTENTE,
                "El descifrado parcial no corresponde a este escrutinio o a este cuórum.",
                custodio=mensaje.custodio,
            )
        if self._retos is not None:
            raise ErrorDescifrado(Motivo.CEREMONIA_FUERA_DE_ORDEN, "Los retos ya se emitieron.")
        self._parciales[mensaje.custodio] = mensaje

    def retos(self) -> RetosDescifrado:
        """Con las k partes del cuórum calcula M = ∏ M_i, a = ∏ a_i, b = ∏ b_i y c (6.7)."""
        if self._retos is not None:
            return self._retos
        faltan = [i for i in self.cuorum if i not in self._parciales]
        if faltan:
            raise ErrorDescifrado(Motivo.CUORUM_INSUFICIENTE, "Faltan descifrados parciales del cuórum.", faltan=faltan)
        cuorum = self.cuorum
        grupo = self.contexto.grupo
        retos = []
        for posicion, (_, _, cifrado) in enumerate(self._lista):
            m, a, b = grupo.uno, grupo.uno, grupo.uno
            for i in cuorum:
                parte = self._parciales[i].partes[posicion]
                m, a, b = m * parte.m, a * parte.a, b * parte.b
            self._combinados.append((m, a, b))
            retos.append(reto_descifrado(self.contexto.h_e, self.contexto.llave, cifrado, a, b, m))
        self._retos = RetosDescifrado(self.h_t, cuorum, tuple(retos))
        return self._retos

    def recibir_respuesta(self, mensaje: RespuestaDescifrado) -> None:
        retos = self.retos()
        if mensaje.custodio not in retos.cuorum or mensaje.hash_escrutinio != self.h_t:
            raise ErrorDescifrado(
                Motivo.DESCIFRADO_INCONSISTENTE, "Respuesta ajena al cuórum.", custodio=mensaje.custodio
            )
        if len(mensaje.respuestas) != len(self._lista):
            raise ErrorDescifrado(
                Motivo.DESCIFRADO_INCONSISTENTE, "Número de respuestas incorrecto.", custodio=mensaje.custodio
            )
        self._respuestas[mensaje.custodio] = mensaje

    def resultado(self) -> ResultadoDescifrado:
        """Combina v = Σ v_i, verifica la prueba conjunta (V9) y calcula los conteos (V10)."""
        retos = self.retos()
        faltan = [i for i in retos.cuorum if i not in self._respuestas]
        if faltan:
            raise ErrorDescifrado(Motivo.CUORUM_INSUFICIENTE, "Faltan respuestas del cuórum.", faltan=faltan)
        contexto = self.contexto
        opciones = []
        por_contienda = {c.indice: c.boletas for c in self.escrutinio.contiendas}
        for posicion, (contienda, opcion, cifrado) in enumerate(self._lista):
            m, _, _ = self._combinados[posicion]
            c = retos.retos[posicion]
            v = sum(
                (self._respuestas[i].respuestas[posicion] for i in retos.cuorum[1:]),
                start=self._respuestas[retos.cuorum[0]].respuestas[posicion],
            )
            prueba = PruebaDescifrado(c, v)
            try:
                verificar_descifrado(
                    contexto.h_e, contexto.llave, cifrado, m, prueba, contienda=contienda, opcion=opcion
                )
            except ErrorVerificacion:
                self._culpar(posicion, contienda, opcion)
                raise
            t = logaritmo_discreto(cifrado.beta / m, contexto.llave, por_contienda[contienda])
            opciones.append(OpcionDescifrada(contienda, opcion, m, prueba, t))
        return ResultadoDescifrado(self.h_t, retos.cuorum, tuple(opciones))

    def _culpar(self, posicion: int, contienda: int, opcion: int) -> None:
        """V-D2: identifica qué custodio del cuórum envió una parte o respuesta inválida.

        La llave del custodio i para su compartición ponderada s_i = w_i·P(i) es K̂_i^(w_i).
        """
        retos = self.retos()
        pesos = pesos_lagrange(self.contexto.grupo, retos.cuorum)
        alfa = self._lista[posicion][2].alfa
        for i in retos.cuorum:
            parte = self._parciales[i].partes[posicion]
            verificar_respuesta_parcial(
                self.registro.llave_verificacion(i) ** pesos[i],
                alfa,
                parte.m,
                parte.a,
                parte.b,
                retos.retos[posicion],
                self._respuestas[i].respuestas[posicion],
                custodio=i,
                contienda=contienda,
                opcion=opcion,
            )


def verificar_resultado(
    contexto: ContextoEleccion, escrutinio: EscrutinioCifrado, resultado: ResultadoDescifrado
) -> None:
    """V9 (prueba conjunta por opción) y V10 (B·M^(−1) = K^t con 0 ≤ t ≤ boletas de la contienda)."""
    lista = escrutinio.cifrados()
    if resultado.hash_escrutinio != escrutinio.hash(contexto) or len(resultado.opciones) != len(lista):
        raise ErrorVerificacion(
            Motivo.DESCIFRADO_INCONSISTENTE, "El resultado no corresponde al escrutinio cifrado (V-D1)."
        )
    por_contienda = {c.indice: c.boletas for c in escrutinio.contiendas}
    for (contienda, opcion, cifrado), o in zip(lista, resultado.opciones, strict=True):
        if (o.contienda, o.opcion) != (contienda, opcion):
            raise ErrorVerificacion(
                Motivo.DESCIFRADO_INCONSISTENTE,
                "Orden de opciones inválido (V-D1).",
                contienda=contienda,
                opcion=opcion,
            )
        verificar_descifrado(contexto.h_e, contexto.llave, cifrado, o.m, o.prueba, contienda=contienda, opcion=opcion)
        cota = por_contienda[contienda]
        if not 0 <= o.conteo <= cota or potencia_de_llave(contexto.llave, o.conteo) != cifrado.beta / o.m:
            raise ErrorVerificacion(
                Motivo.DESCIFRADO_INCONSISTENTE,
                "El conteo publicado no corresponde al descifrado (V10).",
                contienda=contienda,
                opcion=opcion,
            )


@dataclass(frozen=True, slots=True)
class DescifradoCompleto:
    """Todos los mensajes de un descifrado (para publicarlos en el registro, §14.3) y su resultado."""

    parciales: tuple[DescifradoParcial, ...]
    retos: RetosDescifrado
    respuestas: tuple[RespuestaDescifrado, ...]
    resultado: ResultadoDescifrado


def descifrar_con_mensajes(
    contexto: ContextoEleccion,
    registro: RegistroLlaves,
    llaves: Sequence[LlaveCustodio],
    escrutinio: EscrutinioCifrado,
) -> DescifradoCompleto:
    """Descifrado en un proceso, con los mismos mensajes, por los k custodios presentes de índice menor."""
    presentes = sorted({llave.custodio for llave in llaves})
    k = registro.cuorum
    if len(presentes) < k:
        raise ErrorDescifrado(
            Motivo.CUORUM_INSUFICIENTE, f"Se necesitan {k} custodios y hay {len(presentes)}.", presentes=len(presentes)
        )
    cuorum = tuple(presentes[:k])
    combinador = CombinadorDescifrado(contexto, registro, escrutinio, cuorum)
    descifradores = {llave.custodio: DescifradorCustodio(contexto, llave) for llave in llaves}
    parciales = tuple(descifradores[i].descifrado_parcial(escrutinio, cuorum) for i in cuorum)
    for parcial in parciales:
        combinador.recibir_parcial(parcial)
    retos = combinador.retos()
    respuestas = tuple(descifradores[i].responder(retos) for i in cuorum)
    for respuesta in respuestas:
        combinador.recibir_respuesta(respuesta)
    return DescifradoCompleto(parciales, retos, respuestas, combinador.resultado())


def descifrar_en_proceso(
    contexto: ContextoEleccion,
    registro: RegistroLlaves,
    llaves: Sequence[LlaveCustodio],
    escrutinio: EscrutinioCifrado,
) -> ResultadoDescifrado:
    """Como ``descifrar_con_mensajes``, devolviendo solo el resultado."""
    return descifrar_con_mensajes(contexto, registro, llaves, escrutinio).resultado
