"""Boletas cifradas: cifrado, pruebas, códigos de confirmación, firma y apertura (§8).

Una boleta se cifra a partir de un nonce de boleta ξ_B de 32 bytes: cada selección usa
ξ_(c,o) = H(H_E; 0x20 ∥ ξ_B ∥ b(ind_c,4) ∥ b(ind_o,4)) (8.1), se cifra como en (5.1) y lleva
una prueba de rango 0..1 (§6.2).  Cada contienda lleva la prueba de rango 0..L sobre el
producto de sus cifrados (8.3) y su hash χ (8.4).  El código de confirmación (8.5) cubre
todos los χ y B_aux (8.6), que contiene el identificador único de la boleta, el estilo y la
credencial pública del elector; la firma de la credencial cubre el código (8.8).

Desafío de Benaloh: una boleta desafiada se abre publicando ξ_B; cualquiera re-deriva los
nonces y obtiene lo que cifraba (``abrir_boleta``).  Una boleta desafiada nunca se cuenta.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .credenciales import ParCredencial
from .eleccion import ContextoEleccion
from .errores import ErrorBoleta, ErrorVerificacion, Motivo
from .manifiesto import Contienda
from .primitivas import _aritmetica as ar
from .primitivas.elgamal import Cifrado, agregar, cifrar, potencia_de_llave
from .primitivas.grupo import ElementoP, ElementoQ
from .primitivas.hash import Dominio, H, b_entero4, b_texto, codificar, hash_a_q
from .primitivas.pruebas_zk.firma import FirmaSchnorr, firmar, verificar_firma
from .primitivas.pruebas_zk.rango import PruebaRango, probar_rango, verificar_rango

__all__ = [
    "AperturaBoleta",
    "BoletaCifrada",
    "BoletaPreparada",
    "ContiendaCifrada",
    "SeleccionCifrada",
    "abrir_boleta",
    "abrir_selecciones",
    "cifrar_boleta",
    "datos_auxiliares",
    "nonce_seleccion",
    "verificar_boleta",
]

#: Longitud en bytes del nonce de boleta ξ_B (§8.1).
BYTES_NONCE_BOLETA = 32


@dataclass(frozen=True, slots=True)
class SeleccionCifrada:
    """Cifrado de una opción (0 o 1) y su prueba de rango 0..1."""

    cifrado: Cifrado
    prueba: PruebaRango


@dataclass(frozen=True, slots=True)
class ContiendaCifrada:
    indice: int
    selecciones: tuple[SeleccionCifrada, ...]
    prueba_limite: PruebaRango
    hash_contienda: bytes


@dataclass(frozen=True, slots=True)
class BoletaCifrada:
    """Boleta cifrada tal como se publica en el tablero.

    ``credencial`` y ``firma`` son ``None`` solo en elecciones sin credenciales.
    """

    id_boleta: str
    estilo: str
    contiendas: tuple[ContiendaCifrada, ...]
    codigo_confirmacion: bytes
    credencial: ElementoP | None
    firma: FirmaSchnorr | None


@dataclass(frozen=True, slots=True)
class AperturaBoleta:
    """Lo que se publica al desafiar una boleta: su identificador y su nonce ξ_B."""

    id_boleta: str
    nonce_boleta: bytes


@dataclass(frozen=True, slots=True, repr=False)
class BoletaPreparada:
    """Resultado del cifrado en el dispositivo del elector: la boleta y su nonce secreto.

    El elector ve el código de confirmación y decide: depositar (se envía ``boleta``) o
    desafiar (se envía además ``apertura()``).  ``nonce_boleta`` nunca aparece en ``repr``.
    """

    boleta: BoletaCifrada
    nonce_boleta: bytes

    def apertura(self) -> AperturaBoleta:
        return AperturaBoleta(self.boleta.id_boleta, self.nonce_boleta)

    def __repr__(self) -> str:
        return f"BoletaPreparada(id_boleta={self.boleta.id_boleta!r}, nonce_boleta=<oculto>)"


# -- derivaciones ------------------------------------------------------------------------------
def nonce_seleccion(contexto: ContextoEleccion, nonce_boleta: bytes, contienda: int, opcion: int) -> ElementoQ:
    """Ecuación (8.1): ξ_(c,o) = H(H_E; 0x20 ∥ ξ_B ∥ b(ind_c,4) ∥ b(ind_o,4)) mod q."""
    datos = bytes([Dominio.NONCE]) + nonce_boleta + b_entero4(contienda) + b_entero4(opcion)
    return hash_a_q(contexto.grupo, contexto.h_e, datos)


def hash_contienda(contexto: ContextoEleccion, indice: int, cifrados: Iterable[Cifrado]) -> bytes:
    """Ecuación (8.4): χ = H(H_E; 0x23 ∥ b(ind_c,4) ∥ b(K) ∥ α_1 ∥ β_1 ∥ … ∥ α_m ∥ β_m)."""
    partes: list[ElementoP | bytes | int] = [bytes([Dominio.HASH_CONTIENDA]), indice, contexto.llave]
    for c in cifrados:
        partes += [c.alfa, c.beta]
    return H(contexto.h_e, codificar(contexto.grupo, *partes))


def datos_auxiliares(contexto: ContextoEleccion, id_boleta: str, estilo: str, credencial: ElementoP | None) -> bytes:
    """Ecuación (8.6): B_aux = b_texto(id_boleta) ∥ b_texto(estilo) ∥ b(len(X),4) ∥ b(X, l_p) (X opcional)."""
    cred = b"" if credencial is None else codificar(contexto.grupo, credencial)
    return b_texto(id_boleta) + b_texto(estilo) + b_entero4(len(cred)) + cred


def codigo_confirmacion(contexto: ContextoEleccion, hashes: Iterable[bytes], aux: bytes) -> bytes:
    """Ecuación (8.5): H(B) = H(H_E; 0x24 ∥ χ_1 ∥ … ∥ χ_mB ∥ b(len(B_aux),4) ∥ B_aux)."""
    datos = bytes([Dominio.CODIGO_CONFIRMACION]) + b"".join(hashes) + b_entero4(len(aux)) + aux
    return H(contexto.h_e, datos)


def nuevo_id_boleta() -> str:
    """Identificador único de boleta: 128 bits aleatorios en hexadecimal (§8.6)."""
    return ar.bytes_aleatorios(16).hex().upper()


# -- cifrado -----------------------------------------------------------------------------------
def _vector_contienda(contienda: Contienda, marcadas: Iterable[int]) -> list[int]:
    elegidas = list(marcadas)
    if len(set(elegidas)) != len(elegidas):
        raise ErrorBoleta(Motivo.SELECCION_INVALIDA, "Una opción está marcada dos veces.", contienda=contienda.indice)
    validas = {o.indice for o in contienda.opciones}
    for opcion in elegidas:
        if opcion not in validas:
            raise ErrorBoleta(
                Motivo.SELECCION_INVALIDA, "La opción marcada no existe.", contienda=contienda.indice, opcion=opcion
            )
    if len(elegidas) > contienda.limite_seleccion:
        raise ErrorBoleta(
            Motivo.LIMITE_EXCEDIDO,
            f"Se marcaron {len(elegidas)} opciones y el límite es {contienda.limite_seleccion}.",
            contienda=contienda.indice,
        )
    return [1 if o.indice in elegidas else 0 for o in contienda.opciones]


def cifrar_boleta(
    contexto: ContextoEleccion,
    estilo: str,
    marcas: Mapping[int, Iterable[int]],
    credencial: ParCredencial | None = None,
    *,
    id_boleta: str | None = None,
    nonce_boleta: bytes | None = None,
) -> BoletaPreparada:
    """Cifra una boleta del ``estilo`` dado; ``marcas`` asigna a cada contienda las opciones elegidas.

    Las contiendas del estilo sin entrada en ``marcas`` se cifran vacías (ninguna opción).
    ``nonce_boleta`` e ``id_boleta`` solo se fijan en pruebas y vectores; por omisión salen
    de ``secrets``.
    """
    manifiesto = contexto.manifiesto
    estilo_b = manifiesto.estilo(estilo)
    sobrantes = set(marcas) - set(estilo_b.contiendas)
    if sobrantes:
        raise ErrorBoleta(
            Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO,
            "Se marcó una contienda que no pertenece al estilo de la boleta.",
            contienda=min(sobrantes),
        )
    if nonce_boleta is None:
        nonce_boleta = ar.bytes_aleatorios(BYTES_NONCE_BOLETA)
    if len(nonce_boleta) != BYTES_NONCE_BOLETA:
        raise ValueError("ξ_B debe medir 32 bytes")
    id_boleta = id_boleta if id_boleta is not None else nuevo_id_boleta()
    h_e, llave = contexto.h_e, contexto.llave
    contiendas = []
    for indice in estilo_b.contiendas:
        contienda = manifiesto.contienda(indice)
        vector = _vector_contienda(contienda, marcas.get(indice, ()))
        selecciones = []
        nonces = []
        for opcion, sigma in zip(contienda.opciones, vector, strict=False):
            xi = nonce_seleccion(contexto, nonce_boleta, indice, opcion.indice)
            cifrado = cifrar(llave, sigma, xi)
            selecciones.append(SeleccionCifrada(cifrado, probar_rango(h_e, llave, cifrado, xi, sigma, 1)))
            nonces.append(xi)
        producto = agregar(contexto.grupo, (s.cifrado for s in selecciones))
        xi_total = sum(nonces[1:], start=nonces[0])
        prueba_limite = probar_rango(h_e, llave, producto, xi_total, sum(vector), contienda.limite_seleccion)
        contiendas.append(
            ContiendaCifrada(
                indice,
                tuple(selecciones),
                prueba_limite,
                hash_contienda(contexto, indice, (s.cifrado for s in selecciones)),
            )
        )
    publica = credencial.publica if credencial is not None else None
    codigo = codigo_confirmacion(
        contexto, (c.hash_contienda for c in contiendas), datos_auxiliares(contexto, id_boleta, estilo, publica)
    )
    firma = firmar(h_e, credencial.secreta, credencial.publica, codigo) if credencial is not None else None
    boleta = BoletaCifrada(id_boleta, estilo, tuple(contiendas), codigo, publica, firma)
    return BoletaPreparada(boleta, nonce_boleta)


# -- verificación ------------------------------------------------------------------------------
def verificar_boleta(contexto: ContextoEleccion, boleta: BoletaCifrada, *, exigir_credencial: bool = True) -> None:
    """Verifica una boleta completa (§11: V-B1, V5, V6, V7, V-C1) y lanza el primer error preciso.

    La pertenencia de cada α, β al subgrupo está garantizada por el tipo ``ElementoP``
    (se comprobó al decodificar, V-G2).  La pertenencia de la credencial a la lista
    publicada la comprueba el verificador del registro o el servidor (con su lista).
    """
    manifiesto = contexto.manifiesto
    donde = {"boleta": boleta.id_boleta}
    if boleta.estilo not in {e.identificador for e in manifiesto.estilos}:
        raise ErrorBoleta(
            Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO, "El estilo de la boleta no existe (V-B1).", **donde
        )
    estilo = manifiesto.estilo(boleta.estilo)
    if [c.indice for c in boleta.contiendas] != list(estilo.contiendas):
        raise ErrorBoleta(
            Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO,
            "Las contiendas de la boleta no son las de su estilo (V-B1).",
            **donde,
        )
    h_e, llave = contexto.h_e, contexto.llave
    for contienda_c in boleta.contiendas:
        contienda = manifiesto.contienda(contienda_c.indice)
        if len(contienda_c.selecciones) != len(contienda.opciones):
            raise ErrorBoleta(
                Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO,
                "El número de selecciones no coincide con las opciones de la contienda (V-B1).",
                contienda=contienda.indice,
                **donde,
            )
        for opcion, seleccion in zip(contienda.opciones, contienda_c.selecciones, strict=False):
            verificar_rango(
                h_e,
                llave,
                seleccion.cifrado,
                seleccion.prueba,
                1,
                contienda=contienda.indice,
                opcion=opcion.indice,
                **donde,
            )
        producto = agregar(contexto.grupo, (s.cifrado for s in contienda_c.selecciones))
        verificar_rango(
            h_e,
            llave,
            producto,
            contienda_c.prueba_limite,
            contienda.limite_seleccion,
            contienda=contienda.indice,
            **donde,
        )
        if (
            hash_contienda(contexto, contienda.indice, (s.cifrado for s in contienda_c.selecciones))
            != contienda_c.hash_contienda
        ):
            raise ErrorVerificacion(
                Motivo.HASH_CONTIENDA_INVALIDO,
                "El hash de la contienda no coincide (V7.A).",
                contienda=contienda.indice,
                **donde,
            )
    aux = datos_auxiliares(contexto, boleta.id_boleta, boleta.estilo, boleta.credencial)
    if codigo_confirmacion(contexto, (c.hash_contienda for c in boleta.contiendas), aux) != boleta.codigo_confirmacion:
        raise ErrorVerificacion(
            Motivo.CODIGO_CONFIRMACION_INVALIDO, "El código de confirmación no coincide (V7.B).", **donde
        )
    if boleta.credencial is None or boleta.firma is None:
        if exigir_credencial or (boleta.credencial is None) != (boleta.firma is None):
            raise ErrorVerificacion(
                Motivo.FIRMA_CREDENCIAL_INVALIDA, "La boleta no trae credencial y firma (V-C1).", **donde
            )
        return
    verificar_firma(h_e, boleta.credencial, boleta.codigo_confirmacion, boleta.firma, **donde)


# -- apertura (Benaloh) ------------------------------------------------------------------------
def abrir_boleta(
    contexto: ContextoEleccion,
    boleta: BoletaCifrada,
    apertura: AperturaBoleta,
    *,
    exigir_credencial: bool = True,
) -> dict[int, tuple[int, ...]]:
    """V12: re-deriva los nonces desde ξ_B y devuelve, por contienda, las opciones marcadas.

    Primero verifica la boleta completa (§11.7: V-B1, V5, V6, V7.A, V7.B, V-C1), porque una
    apertura solo tiene sentido sobre una boleta válida.  Luego, para cada selección, comprueba
    α = g^ξ y β = K^(σ+ξ) con σ ∈ {0, 1}; cualquier discrepancia lanza ``APERTURA_INVALIDA``
    nombrando contienda y opción.
    """
    verificar_boleta(contexto, boleta, exigir_credencial=exigir_credencial)
    return abrir_selecciones(contexto, boleta, apertura)


def abrir_selecciones(
    contexto: ContextoEleccion, boleta: BoletaCifrada, apertura: AperturaBoleta
) -> dict[int, tuple[int, ...]]:
    """Solo V12.A–V12.B, para quien ya verificó la boleta (p. ej. el verificador del registro).

    Devuelve, por contienda, las opciones marcadas que revela el nonce ξ_B.
    """
    if apertura.id_boleta != boleta.id_boleta or len(apertura.nonce_boleta) != BYTES_NONCE_BOLETA:
        raise ErrorVerificacion(
            Motivo.APERTURA_INVALIDA, "La apertura no corresponde a la boleta (V12.A).", boleta=boleta.id_boleta
        )
    llave = contexto.llave
    resultado: dict[int, tuple[int, ...]] = {}
    for contienda_c in boleta.contiendas:
        marcadas = []
        for posicion, seleccion in enumerate(contienda_c.selecciones, start=1):
            xi = nonce_seleccion(contexto, apertura.nonce_boleta, contienda_c.indice, posicion)
            k_xi = potencia_de_llave(llave, xi)
            if seleccion.cifrado.alfa != contexto.grupo.g_a_la(xi):
                sigma = None
            elif seleccion.cifrado.beta == k_xi:
                sigma = 0
            elif seleccion.cifrado.beta == k_xi * llave:
                sigma = 1
            else:
                sigma = None
            if sigma is None:
                raise ErrorVerificacion(
                    Motivo.APERTURA_INVALIDA,
                    "La selección no se abre con el nonce publicado (V12.B).",
                    boleta=boleta.id_boleta,
                    contienda=contienda_c.indice,
                    opcion=posicion,
                )
            if sigma:
                marcadas.append(posicion)
        resultado[contienda_c.indice] = tuple(marcadas)
    return resultado
