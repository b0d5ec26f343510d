"""Ceremonia de llaves entre n custodios con cuórum k (§7.7–7.9).

La ceremonia avanza por mensajes serializables, de modo que cada custodio puede correr en
su propia máquina y un coordinador (el servidor) solo retransmite:

1. Cada custodio i publica ``CompromisosCustodio``: K_i0..K_i,k−1 con sus pruebas de
   Schnorr (§6.1).  Todos los verifican (V2); una prueba inválida produce una ``Queja``.
2. Cada custodio envía a cada ℓ ≠ i una ``ComparticionCifrada`` de P_i(ℓ) (§7.4).
3. Cada receptor descifra y verifica con Feldman (7.3); publica una
   ``ConfirmacionComparticiones`` o una ``Queja`` que nombra al emisor culpable.  Una queja
   detiene la ceremonia (se repite sin el custodio culpable).
4. Cualquiera calcula el ``RegistroLlaves`` a partir de los compromisos: K = ∏ K_i0, las
   llaves de verificación g^(P(ℓ)), H_E y el hash del registro H_R (7.12).  Cada custodio lo
   recalcula y confirma H_R con una ``ConfirmacionRegistro``; el coordinador solo publica K
   y H_E cuando las n confirmaciones coinciden.

Nadie conoce la llave secreta conjunta s = Σ a_i0: cada custodio ℓ conserva solo
P(ℓ) = Σ_i P_i(ℓ).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .eleccion import ConfiguracionEleccion, ContextoEleccion
from .errores import ErrorCeremonia, ErrorVerificacion, ErrorVMRE, Motivo
from .primitivas.cifrado_comparticion import ComparticionCifradaBytes, cifrar_comparticion, descifrar_comparticion
from .primitivas.grupo import ElementoP, ElementoQ
from .primitivas.hash import Dominio, H, b_texto, codificar
from .primitivas.parametros import hash_extendido
from .primitivas.pruebas_zk.schnorr import PruebaSchnorr, probar_schnorr, verificar_schnorr
from .primitivas.shamir import Polinomio, evaluar_compromisos

__all__ = [
    "ComparticionCifrada",
    "CompromisosCustodio",
    "ConfirmacionComparticiones",
    "ConfirmacionRegistro",
    "CoordinadorCeremonia",
    "Custodio",
    "LlaveCustodio",
    "Queja",
    "RegistroLlaves",
    "construir_registro",
    "verificar_compromisos",
]


# -- mensajes ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompromisosCustodio:
    """Paso 1: compromisos K_ij = g^(a_ij) y pruebas de Schnorr (j = 0..k−1)."""

    custodio: int
    nombre: str
    compromisos: tuple[ElementoP, ...]
    pruebas: tuple[PruebaSchnorr, ...]

    @property
    def llave_publica(self) -> ElementoP:
        """K_i = K_i0, llave pública del custodio i (cifrado de comparticiones y llave conjunta)."""
        return self.compromisos[0]


@dataclass(frozen=True, slots=True)
class ComparticionCifrada:
    """Paso 2: E_ℓ(P_i(ℓ)) = (C0, C1, C2) del emisor i para el receptor ℓ."""

    emisor: int
    receptor: int
    c0: ElementoP
    c1: bytes
    c2: bytes


@dataclass(frozen=True, slots=True)
class Queja:
    """Queja pública del custodio ``acusador`` contra ``acusado``, con un código de ``Motivo``."""

    acusador: int
    acusado: int
    motivo: str


@dataclass(frozen=True, slots=True)
class ConfirmacionComparticiones:
    """Paso 3: el receptor verificó (MAC y Feldman) las comparticiones de todos los emisores."""

    receptor: int
    emisores: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RegistroLlaves:
    """Paso 4: registro público de la ceremonia; lo calcula cualquiera con ``construir_registro``."""

    custodios: int
    cuorum: int
    compromisos: tuple[CompromisosCustodio, ...]
    llave_conjunta: ElementoP
    llaves_verificacion: tuple[ElementoP, ...]
    h_e: bytes
    hash_registro: bytes

    def llave_verificacion(self, custodio: int) -> ElementoP:
        return self.llaves_verificacion[custodio - 1]


@dataclass(frozen=True, slots=True)
class ConfirmacionRegistro:
    """Paso 4: el custodio confirma el hash del registro que recalculó por su cuenta."""

    custodio: int
    hash_registro: bytes


@dataclass(frozen=True, slots=True, repr=False)
class LlaveCustodio:
    """Lo que el custodio ℓ conserva tras la ceremonia: su compartición P(ℓ) (secreta)."""

    custodio: int
    comparticion: ElementoQ

    def __repr__(self) -> str:
        return f"LlaveCustodio(custodio={self.custodio}, comparticion=<oculta>)"


@dataclass(frozen=True, slots=True, repr=False)
class EstadoCustodio:
    """Estado secreto exportable de un custodio (se guarda cifrado en su propio disco)."""

    custodio: int
    nombre: str
    coeficientes: tuple[ElementoQ, ...]

    def __repr__(self) -> str:
        return f"EstadoCustodio(custodio={self.custodio}, <secretos ocultos>)"


# -- verificaciones públicas -----------------------------------------------------------------
def verificar_compromisos(configuracion: ConfiguracionEleccion, mensaje: CompromisosCustodio) -> None:
    """V-K1: índice en 1..n, k compromisos y k pruebas de Schnorr válidas (V2), K_i0 ≠ 1 (V3.A)."""
    n, k = configuracion.custodios, configuracion.cuorum
    i = mensaje.custodio
    if not 1 <= i <= n:
        raise ErrorCeremonia(Motivo.CUSTODIO_DESCONOCIDO, f"No existe el custodio {i}.", custodio=i)
    if len(mensaje.compromisos) != k or len(mensaje.pruebas) != k:
        raise ErrorVerificacion(
            Motivo.SCHNORR_INVALIDA, f"Se esperaban {k} compromisos y {k} pruebas (V2).", custodio=i
        )
    if mensaje.compromisos[0].valor == 1:
        raise ErrorVerificacion(Motivo.SCHNORR_INVALIDA, "La llave pública del custodio es 1 (V3.A).", custodio=i)
    h_p = configuracion.h_p
    for j, (compromiso, prueba) in enumerate(zip(mensaje.compromisos, mensaje.pruebas, strict=False)):
        verificar_schnorr(h_p, i, j, compromiso, prueba)


def _hash_registro(
    configuracion: ConfiguracionEleccion,
    h_e: bytes,
    compromisos: Sequence[CompromisosCustodio],
    verificacion: Sequence[ElementoP],
) -> bytes:
    """Ecuación (7.12): H_R = H(H_E; 0x52 ∥ b(n,4) ∥ b(k,4) ∥ ∀i: b(i,4) ∥ b_texto(nombre_i) ∥ ∀j: K_ij ∥ c_ij ∥ v_ij ∥ ∀ℓ: K̂_ℓ)."""
    grupo = configuracion.grupo()
    partes: list[ElementoP | ElementoQ | bytes | int] = [
        bytes([Dominio.REGISTRO_LLAVES]),
        configuracion.custodios,
        configuracion.cuorum,
    ]
    for mensaje in compromisos:
        partes += [mensaje.custodio, b_texto(mensaje.nombre)]
        for compromiso, prueba in zip(mensaje.compromisos, mensaje.pruebas, strict=False):
            partes += [compromiso, prueba.reto, prueba.respuesta]
    partes += list(verificacion)
    return H(h_e, codificar(grupo, *partes))


def construir_registro(
    configuracion: ConfiguracionEleccion, compromisos: Iterable[CompromisosCustodio]
) -> RegistroLlaves:
    """Calcula el registro público a partir de los n mensajes de compromisos (ya verificados).

    K = ∏ K_i0 (V3.B), K̂_ℓ = ∏_i ∏_j K_ij^(ℓ^j) (7.5), H_E (4.4) y H_R (7.12).
    """
    ordenados = tuple(sorted(compromisos, key=lambda m: m.custodio))
    n = configuracion.custodios
    if [m.custodio for m in ordenados] != list(range(1, n + 1)):
        raise ErrorCeremonia(Motivo.CEREMONIA_FUERA_DE_ORDEN, "Faltan o sobran compromisos de custodios.", custodios=n)
    for m in ordenados:
        if len(m.compromisos) != configuracion.cuorum or len(m.pruebas) != configuracion.cuorum:
            raise ErrorCeremonia(
                Motivo.CEREMONIA_FUERA_DE_ORDEN,
                f"El custodio {m.custodio} no publicó exactamente k compromisos y k pruebas.",
                custodio=m.custodio,
            )
    grupo = configuracion.grupo()
    llave = grupo.uno
    for m in ordenados:
        llave = llave * m.llave_publica
    if llave.valor == 1:
        raise ErrorCeremonia(Motivo.CEREMONIA_DETENIDA, "La llave conjunta resultó 1 (V3.B).")
    # K̂_ℓ = ∏_j (∏_i K_ij)^(ℓ^j): se agregan primero los compromisos de cada grado j.
    agregados = []
    for j in range(configuracion.cuorum):
        producto = grupo.uno
        for m in ordenados:
            producto = producto * m.compromisos[j]
        agregados.append(producto)
    verificacion = [evaluar_compromisos(agregados, ell) for ell in range(1, n + 1)]
    h_e = hash_extendido(configuracion.h_b, llave)
    return RegistroLlaves(
        custodios=n,
        cuorum=configuracion.cuorum,
        compromisos=ordenados,
        llave_conjunta=llave,
        llaves_verificacion=tuple(verificacion),
        h_e=h_e,
        hash_registro=_hash_registro(configuracion, h_e, ordenados, verificacion),
    )


# -- custodio ---------------------------------------------------------------------------------
class Custodio:
    """Un custodio de la llave: guarda sus secretos y produce sus mensajes, paso a paso."""

    def __init__(self, configuracion: ConfiguracionEleccion, estado: EstadoCustodio) -> None:
        if not 1 <= estado.custodio <= configuracion.custodios:
            raise ErrorCeremonia(Motivo.CUSTODIO_DESCONOCIDO, f"No existe el custodio {estado.custodio}.")
        if len(estado.coeficientes) != configuracion.cuorum:
            raise ErrorCeremonia(Motivo.PARAMETRO_INVALIDO, "El estado no tiene k coeficientes.")
        self.configuracion = configuracion
        self.estado = estado
        self._polinomio = Polinomio(estado.coeficientes)
        self._compromisos: dict[int, CompromisosCustodio] = {}
        self._recibidas: dict[int, ElementoQ] = {}
        self._registro: RegistroLlaves | None = None

    @classmethod
    def nuevo(cls, configuracion: ConfiguracionEleccion, indice: int, nombre: str) -> Custodio:
        """Paso 0: el custodio elige su polinomio secreto P_i de grado k−1 (7.1)."""
        polinomio = Polinomio.aleatorio(configuracion.grupo(), configuracion.cuorum)
        return cls(configuracion, EstadoCustodio(indice, nombre, polinomio.coeficientes))

    @property
    def indice(self) -> int:
        return self.estado.custodio

    def __repr__(self) -> str:
        return f"Custodio(indice={self.indice}, nombre={self.estado.nombre!r})"

    def publicar_compromisos(self) -> CompromisosCustodio:
        """Paso 1 (7.2, 6.1)."""
        h_p = self.configuracion.h_p
        compromisos = self._polinomio.compromisos()
        pruebas = tuple(
            probar_schnorr(h_p, self.indice, j, a, kk)
            for j, (a, kk) in enumerate(zip(self._polinomio.coeficientes, compromisos, strict=False))
        )
        mensaje = CompromisosCustodio(self.indice, self.estado.nombre, compromisos, pruebas)
        self._compromisos[self.indice] = mensaje
        return mensaje

    def recibir_compromisos(self, mensajes: Iterable[CompromisosCustodio]) -> tuple[Queja, ...]:
        """Paso 1: verifica los compromisos de los demás (V2); devuelve las quejas (vacío si todo va bien)."""
        quejas = []
        for mensaje in mensajes:
            if mensaje.custodio == self.indice:
                # El mensaje propio publicado se acepta si compromete exactamente a los
                # coeficientes propios y sus pruebas verifican; así un custodio restaurado
                # desde ``EstadoCustodio`` (que no guarda sus pruebas) puede continuar.
                propio = self._compromisos.get(self.indice)
                if propio is None or mensaje != propio:
                    try:
                        if mensaje.compromisos != self._polinomio.compromisos() or mensaje.nombre != self.estado.nombre:
                            raise ErrorCeremonia(Motivo.REGISTRO_LLAVES_DISCREPANTE, "Compromisos ajenos.")
                        verificar_compromisos(self.configuracion, mensaje)
                    except ErrorVMRE:
                        quejas.append(Queja(self.indice, self.indice, Motivo.REGISTRO_LLAVES_DISCREPANTE.value))
                        continue
                    self._compromisos[self.indice] = mensaje
                continue
            try:
                verificar_compromisos(self.configuracion, mensaje)
            except ErrorVMRE as error:
                quejas.append(Queja(self.indice, mensaje.custodio, error.motivo.value))
                continue
            self._compromisos[mensaje.custodio] = mensaje
        return tuple(quejas)

    def comparticiones(self) -> tuple[ComparticionCifrada, ...]:
        """Paso 2: P_i(ℓ) cifrado para cada ℓ ≠ i con su llave pública K_ℓ0 (7.7)–(7.9)."""
        self._exigir_compromisos()
        h_p = self.configuracion.h_p
        salida = []
        for ell in range(1, self.configuracion.custodios + 1):
            if ell == self.indice:
                continue
            cifrado = cifrar_comparticion(
                h_p, self.indice, ell, self._compromisos[ell].llave_publica, self._polinomio.evaluar(ell)
            )
            salida.append(ComparticionCifrada(self.indice, ell, cifrado.c0, cifrado.c1, cifrado.c2))
        return tuple(salida)

    def recibir_comparticiones(
        self, mensajes: Iterable[ComparticionCifrada]
    ) -> ConfirmacionComparticiones | tuple[Queja, ...]:
        """Paso 3: descifra (V-K3) y verifica con Feldman (V-K4) cada P_i(ℓ) recibido."""
        self._exigir_compromisos()
        h_p = self.configuracion.h_p
        quejas = []
        propio = self._compromisos[self.indice].llave_publica
        secreto = self._polinomio.coeficientes[0]
        for mensaje in mensajes:
            if (
                mensaje.receptor != self.indice
                or mensaje.emisor not in self._compromisos
                or mensaje.emisor == self.indice
            ):
                raise ErrorCeremonia(
                    Motivo.CEREMONIA_FUERA_DE_ORDEN,
                    "La compartición no está dirigida a este custodio o su emisor es desconocido.",
                    emisor=mensaje.emisor,
                    receptor=mensaje.receptor,
                )
            try:
                valor = descifrar_comparticion(
                    h_p,
                    mensaje.emisor,
                    self.indice,
                    secreto,
                    propio,
                    ComparticionCifradaBytes(mensaje.c0, mensaje.c1, mensaje.c2),
                )
                esperado = evaluar_compromisos(self._compromisos[mensaje.emisor].compromisos, self.indice)
                if self.configuracion.grupo().g_a_la(valor) != esperado:
                    raise ErrorVerificacion(
                        Motivo.COMPARTICION_FELDMAN_INVALIDA,
                        "La compartición no coincide con los compromisos del emisor (V-K4).",
                        emisor=mensaje.emisor,
                    )
            except ErrorVMRE as error:
                quejas.append(Queja(self.indice, mensaje.emisor, error.motivo.value))
                continue
            self._recibidas[mensaje.emisor] = valor
        if quejas:
            return tuple(quejas)
        esperados = {ell for ell in range(1, self.configuracion.custodios + 1) if ell != self.indice}
        faltan = sorted(esperados - set(self._recibidas))
        if faltan:
            return tuple(Queja(self.indice, i, Motivo.CEREMONIA_FUERA_DE_ORDEN.value) for i in faltan)
        return ConfirmacionComparticiones(self.indice, tuple(sorted(esperados)))

    def confirmar_registro(self, registro: RegistroLlaves) -> ConfirmacionRegistro:
        """Paso 4: recalcula el registro con sus propios compromisos verificados y confirma H_R."""
        propio = construir_registro(self.configuracion, self._compromisos.values())
        if propio != registro:
            raise ErrorCeremonia(
                Motivo.REGISTRO_LLAVES_DISCREPANTE,
                "El registro de llaves recibido no coincide con el que calculó el custodio.",
                custodio=self.indice,
            )
        if len(self._recibidas) != self.configuracion.custodios - 1:
            raise ErrorCeremonia(
                Motivo.CEREMONIA_FUERA_DE_ORDEN, "Faltan comparticiones por verificar.", custodio=self.indice
            )
        self._registro = propio
        return ConfirmacionRegistro(self.indice, propio.hash_registro)

    def llave(self) -> LlaveCustodio:
        """P(ℓ) = P_ℓ(ℓ) + Σ_(i≠ℓ) P_i(ℓ) (7.4), disponible tras confirmar el registro."""
        if self._registro is None:
            raise ErrorCeremonia(Motivo.CEREMONIA_FUERA_DE_ORDEN, "La ceremonia aún no termina.")
        total = self._polinomio.evaluar(self.indice)
        for valor in self._recibidas.values():
            total = total + valor
        return LlaveCustodio(self.indice, total)

    def _exigir_compromisos(self) -> None:
        if len(self._compromisos) != self.configuracion.custodios:
            raise ErrorCeremonia(Motivo.CEREMONIA_FUERA_DE_ORDEN, "Faltan compromisos verificados de otros custodios.")


# -- coordinador ------------------------------------------------------------------------------
class CoordinadorCeremonia:
    """Lado público de la ceremonia (el servidor): verifica, retransmite y publica; no tiene secretos."""

    def __init__(self, configuracion: ConfiguracionEleccion) -> None:
        self.configuracion = configuracion
        self._compromisos: dict[int, CompromisosCustodio] = {}
        self._comparticiones: dict[tuple[int, int], ComparticionCifrada] = {}
        self._confirmaciones: dict[int, ConfirmacionComparticiones] = {}
        self._registro: RegistroLlaves | None = None
        self._confirmaciones_registro: dict[int, ConfirmacionRegistro] = {}
        self.quejas: list[Queja] = []

    def _exigir_activa(self) -> None:
        if self.quejas:
            q = self.quejas[0]
            raise ErrorCeremonia(
                Motivo.CEREMONIA_DETENIDA,
                f"La ceremonia está detenida por una queja contra el custodio {q.acusado}.",
                acusado=q.acusado,
                acusador=q.acusador,
                motivo_queja=q.motivo,
            )

    def recibir_compromisos(self, mensaje: CompromisosCustodio) -> None:
        self._exigir_activa()
        if mensaje.custodio in self._compromisos:
            raise ErrorCeremonia(
                Motivo.CUSTODIO_DUPLICADO, "El custodio ya publicó compromisos.", custodio=mensaje.custodio
            )
        try:
            verificar_compromisos(self.configuracion, mensaje)
        except ErrorVerificacion as error:
            self.recibir_queja(Queja(0, mensaje.custodio, error.motivo.value))
        self._compromisos[mensaje.custodio] = mensaje

    def compromisos(self) -> tuple[CompromisosCustodio, ...]:
        self._exigir_activa()
        if len(self._compromisos) != self.configuracion.custodios:
            raise ErrorCeremonia(Motivo.CEREMONIA_FUERA_DE_ORDEN, "Aún faltan compromisos.")
        return tuple(self._compromisos[i] for i in sorted(self._compromisos))

    def recibir_comparticion(self, mensaje: ComparticionCifrada) -> None:
        self._exigir_activa()
        n = self.configuracion.custodios
        if not (1 <= mensaje.emisor <= n and 1 <= mensaje.receptor <= n) or mensaje.emisor == mensaje.receptor:
            raise ErrorCeremonia(Motivo.CUSTODIO_DESCONOCIDO, "Emisor o receptor inválido.")
        clave = (mensaje.emisor, mensaje.receptor)
        if clave in self._comparticiones:
            raise ErrorCeremonia(Motivo.CUSTODIO_DUPLICADO, "Compartición repetida.", emisor=mensaje.emisor)
        self._comparticiones[clave] = mensaje

    def comparticiones_para(self, receptor: int) -> tuple[ComparticionCifrada, ...]:
        self._exigir_activa()
        return tuple(m for (e, r), m in sorted(self._comparticiones.items()) if r == receptor)

    def recibir_queja(self, queja: Queja) -> None:
        """Una queja detiene la ceremonia y nombra al custodio acusado (V-K5)."""
        self.quejas.append(queja)
        self._exigir_activa()

    def recibir_resultado_comparticiones(self, resultado: ConfirmacionComparticiones | tuple[Queja, ...]) -> None:
        if isinstance(resultado, ConfirmacionComparticiones):
            self._exigir_activa()
            n = self.configuracion.custodios
            esperados = tuple(i for i in range(1, n + 1) if i != resultado.receptor)
            if not 1 <= resultado.receptor <= n or tuple(resultado.emisores) != esperados:
                raise ErrorCeremonia(
                    Motivo.CUSTODIO_DESCONOCIDO,
                    "La confirmación de comparticiones no nombra un receptor válido y a todos los emisores.",
                    receptor=resultado.receptor,
                )
            self._confirmaciones[resultado.receptor] = resultado
            return
        for queja in resultado:
            self.quejas.append(queja)
        self._exigir_activa()

    def registro(self) -> RegistroLlaves:
        self._exigir_activa()
        if len(self._confirmaciones) != self.configuracion.custodios:
            raise ErrorCeremonia(Motivo.CEREMONIA_FUERA_DE_ORDEN, "Aún faltan confirmaciones de comparticiones.")
        if self._registro is None:
            self._registro = construir_registro(self.configuracion, self._compromisos.values())
        return self._registro

    def recibir_confirmacion_registro(self, mensaje: ConfirmacionRegistro) -> None:
        registro = self.registro()
        if not 1 <= mensaje.custodio <= self.configuracion.custodios:
            raise ErrorCeremonia(Motivo.CUSTODIO_DESCONOCIDO, "Custodio desconocido.", custodio=mensaje.custodio)
        if mensaje.hash_registro != registro.hash_registro:
            self.recibir_queja(Queja(mensaje.custodio, 0, Motivo.REGISTRO_LLAVES_DISCREPANTE.value))
        self._confirmaciones_registro[mensaje.custodio] = mensaje

    def finalizar(self) -> tuple[RegistroLlaves, ContextoEleccion]:
        """Publica K y H_E solo cuando los n custodios confirmaron el mismo H_R."""
        registro = self.registro()
        if sorted(self._confirmaciones_registro) != list(range(1, self.configuracion.custodios + 1)):
            raise ErrorCeremonia(Motivo.CEREMONIA_FUERA_DE_ORDEN, "Aún faltan confirmaciones del registro.")
        contexto = ContextoEleccion.crear(self.configuracion, registro.llave_conjunta)
        if contexto.h_e != registro.h_e:  # pragma: no cover - misma fórmula
            raise ErrorCeremonia(Motivo.REGISTRO_LLAVES_DISCREPANTE, "H_E discrepante.")
        return registro, contexto


def ceremonia_en_proceso(
    configuracion: ConfiguracionEleccion, nombres: Sequence[str] | None = None
) -> tuple[list[Custodio], RegistroLlaves, ContextoEleccion]:
    """Ceremonia completa en un solo proceso (ejemplos, pruebas y mediciones).

    Recorre exactamente los mismos mensajes que entre procesos separados.
    """
    n = configuracion.custodios
    nombres = list(nombres or [f"Custodio {i}" for i in range(1, n + 1)])
    custodios = [Custodio.nuevo(configuracion, i, nombres[i - 1]) for i in range(1, n + 1)]
    coordinador = CoordinadorCeremonia(configuracion)
    for custodio in custodios:
        coordinador.recibir_compromisos(custodio.publicar_compromisos())
    publicados = coordinador.compromisos()
    for custodio in custodios:
        for queja in custodio.recibir_compromisos(publicados):
            coordinador.recibir_queja(queja)
    for custodio in custodios:
        for mensaje in custodio.comparticiones():
            coordinador.recibir_comparticion(mensaje)
    for custodio in custodios:
        coordinador.recibir_resultado_comparticiones(
            custodio.recibir_comparticiones(coordinador.comparticiones_para(custodio.indice))
        )
    registro = coordinador.registro()
    for custodio in custodios:
        coordinador.recibir_confirmacion_registro(custodio.confirmar_registro(registro))
    registro, contexto = coordinador.finalizar()
    return custodios, registro, contexto
