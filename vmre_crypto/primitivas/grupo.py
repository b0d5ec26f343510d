"""El grupo de ElectionGuard 2.0 y sus tipos de elementos (§2 de la especificación).

``Grupo`` es un valor, nunca una variable global: se pasa explícitamente dentro del
contexto de la elección.  ``ElementoQ`` representa Z_q y ``ElementoP`` el subgrupo
Z_p^r de orden q.  Ambos rechazan valores fuera de rango al construirse; la pertenencia
al subgrupo (x^q ≡ 1 mod p) se comprueba al construir un ``ElementoP`` desde un entero
externo, una por una (V-G1) o por lotes (V-G2).  Los resultados de operaciones entre
elementos válidos se crean sin volver a comprobarlos: el subgrupo es cerrado.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gmpy2 import mpz

from ..errores import ErrorDecodificacion, Motivo
from . import _aritmetica as ar

__all__ = ["GRUPO_ESTANDAR", "ElementoP", "ElementoQ", "Grupo"]

# §2.1: parámetros estándar de ElectionGuard 2.0 (§3.1.1 de su especificación).
_Q = (1 << 256) - 189
_DELTA = 287975203778583638958138611533602521491887169409704874643524560756486080635197037903
# ⌊2^3584 · ln 2⌋ está fijado por el texto de EG 2.0; aquí se da el valor de p completo en
# hexadecimal (idéntico al de los artefactos de referencia) y la prueba unitaria comprueba
# la fórmula con δ.
_P_HEX = (
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
    "B17217F7D1CF79ABC9E3B39803F2F6AF40F343267298B62D8A0D175B8BAAFA2B"
    "E7B876206DEBAC98559552FB4AFA1B10ED2EAE35C138214427573B291169B825"
    "3E96CA16224AE8C51ACBDA11317C387EB9EA9BC3B136603B256FA0EC7657F74B"
    "72CE87B19D6548CAF5DFA6BD38303248655FA1872F20E3A2DA2D97C50F3FD5C6"
    "07F4CA11FB5BFB90610D30F88FE551A2EE569D6DFC1EFA157D2E23DE1400B396"
    "17460775DB8990E5C943E732B479CD33CCCC4E659393514C4C1A1E0BD1D6095D"
    "25669B333564A3376A9C7F8A5E148E82074DB6015CFE7AA30C480A5417350D2C"
    "955D5179B1E17B9DAE313CDB6C606CB1078F735D1B2DB31B5F50B5185064C18B"
    "4D162DB3B365853D7598A1951AE273EE5570B6C68F96983496D4E6D330AF889B"
    "44A02554731CDC8EA17293D1228A4EF98D6F5177FBCF0755268A5C1F9538B982"
    "61AFFD446B1CA3CF5E9222B88C66D3C5422183EDC99421090BBB16FAF3D949F2"
    "36E02B20CEE886B905C128D53D0BD2F9621363196AF503020060E49908391A0C"
    "57339BA2BEBA7D052AC5B61CC4E9207CEF2F0CE2D7373958D762265890445744"
    "FB5F2DA4B751005892D356890DEFE9CAD9B9D4B713E06162A2D8FDD0DF2FD608"
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
)

#: Tablas de base fija distintas de la de g que conserva cada grupo (LRU).
TABLAS_EN_CACHE = 4

#: Bits de cada exponente aleatorio de la prueba de pertenencia por lotes (§2.3, V-G2).
BITS_LOTE = 128


@dataclass(frozen=True, slots=True, eq=False)
class Grupo:
    """Grupo multiplicativo Z_p^r de orden primo q con generador g (§2.1).

    ``bytes_p`` y ``bytes_q`` son las longitudes fijas l_p y l_q de las codificaciones
    b(x, l_p) y b(x, l_q) (§3.1).  Las tablas de base fija de g se construyen una vez por
    grupo, la primera vez que se piden.
    """

    nombre: str
    p: mpz
    q: mpz
    g: mpz
    _tablas: dict[int, ar.TablaBaseFija] = field(default_factory=dict, repr=False)

    @property
    def r(self) -> mpz:
        """Cofactor r = (p − 1)/q."""
        return (self.p - 1) // self.q

    @property
    def bytes_p(self) -> int:
        return (int(self.p).bit_length() + 7) // 8

    @property
    def bytes_q(self) -> int:
        return (int(self.q).bit_length() + 7) // 8

    def __eq__(self, otro: object) -> bool:
        if self is otro:
            return True
        if not isinstance(otro, Grupo):
            return NotImplemented
        return (self.p, self.q, self.g) == (otro.p, otro.q, otro.g)

    def __hash__(self) -> int:
        return hash((int(self.p) & 0xFFFFFFFF, int(self.q), int(self.g) & 0xFFFFFFFF))

    # -- tablas de base fija -------------------------------------------------------------
    def tabla(self, base: mpz) -> ar.TablaBaseFija:
        """Tabla de base fija para ``base`` (g o la llave de la elección K), en caché.

        La tabla de g se conserva siempre; las demás (llaves de elección) viven en una
        caché LRU de ``TABLAS_EN_CACHE`` entradas (≈ 4.6 MB cada una), para que un proceso
        de larga vida que ve muchas llaves no crezca sin límite.
        """
        clave = int(base)
        tabla = self._tablas.pop(clave, None)
        if tabla is None:
            tabla = ar.TablaBaseFija(mpz(base), self.p, self.q)
        self._tablas[clave] = tabla  # reinserta al final: la más reciente
        otras = [k for k in self._tablas if k != int(self.g)]
        for vieja in otras[: max(0, len(otras) - TABLAS_EN_CACHE)]:
            del self._tablas[vieja]
        return tabla

    # -- constructores de elementos ------------------------------------------------------
    def q_elemento(self, valor: int) -> ElementoQ:
        return ElementoQ(valor, self)

    def p_elemento(self, valor: int) -> ElementoP:
        return ElementoP(valor, self)

    def aleatorio_q(self) -> ElementoQ:
        """Elemento uniforme de Z_q tomado de ``secrets``."""
        return ElementoQ._confiable(ar.aleatorio_bajo(self.q), self)

    @property
    def generador(self) -> ElementoP:
        return ElementoP._confiable(self.g, self)

    @property
    def uno(self) -> ElementoP:
        return ElementoP._confiable(mpz(1), self)

    def g_a_la_secreta(self, exponente: ElementoQ) -> ElementoP:
        """g^e en tiempo constante (``powmod_sec``) para secretos y nonces de custodios (§2.4.4)."""
        return ElementoP._confiable(ar.potencia_secreta(self.g, exponente.valor, self.p), self)

    def g_a_la(self, exponente: ElementoQ | int) -> ElementoP:
        """g^e mediante la tabla de base fija de g."""
        e = exponente.valor if isinstance(exponente, ElementoQ) else exponente
        return ElementoP._confiable(self.tabla(self.g).potencia(e), self)

    # -- pertenencia -----------------------------------------------------------------------
    def es_miembro(self, x: int) -> bool:
        """V-G1: 0 < x < p y x^q ≡ 1 (mod p)."""
        x = mpz(x)
        return bool(0 < x < self.p and ar.potencia(x, self.q, self.p) == 1)

    def son_miembros(self, valores: Sequence[int]) -> bool:
        """V-G2: prueba de pertenencia por lotes, correcta con probabilidad ≥ 1 − 2^-127.

        Cada elemento debe tener símbolo de Jacobi +1 (excluye la componente de orden 2,
        necesario porque (p−1)/(2q) es primo) y el producto ∏ x_i^(e_i) con e_i aleatorios de
        128 bits debe cumplir (∏ x_i^(e_i))^q ≡ 1.  Un elemento fuera del subgrupo tiene una
        componente de orden primo grande ℓ ≥ (p−1)/(2q) > 2^3800 y sobrevive solo si la suma
        ponderada de los e_i se anula módulo ℓ, lo que ocurre con probabilidad ≤ 2^-127.
        """
        xs = [mpz(v) for v in valores]
        if not xs:
            return True
        p = self.p
        for x in xs:
            if not 0 < x < p or ar.jacobi(x, p) != 1:
                return False
        if len(xs) == 1:
            return bool(ar.potencia(xs[0], self.q, p) == 1)
        exponentes = [ar.bits_aleatorios(BITS_LOTE) for _ in xs]
        combinado = ar.multiexp(xs, exponentes, p)
        return bool(ar.potencia(combinado, self.q, p) == 1)

    def elementos_p(self, valores: Iterable[int], campo: str = "elemento") -> list[ElementoP]:
        """Decodifica muchos enteros como elementos de Z_p^r con la prueba por lotes.

        Si el lote falla, se busca el primero que falla individualmente para dar un error
        preciso con su índice.
        """
        crudos = list(valores)
        for i, v in enumerate(crudos):
            if isinstance(v, bool) or not isinstance(v, (int, type(mpz(0)))):
                raise ErrorDecodificacion(
                    Motivo.TIPO_INVALIDO, f"El valor de «{campo}» debe ser entero.", campo=campo, indice=i
                )
        xs = [mpz(v) for v in crudos]
        for i, x in enumerate(xs):
            _comprobar_rango_p(x, self, campo, i)
        if not self.son_miembros(xs):
            for i, x in enumerate(xs):
                if not self.es_miembro(x):
                    raise _error_no_miembro(campo, i)
            raise _error_no_miembro(campo, None)  # pragma: no cover - probabilidad ≤ 2^-127
        return [ElementoP._confiable(x, self) for x in xs]


def _comprobar_rango_p(x: mpz, grupo: Grupo, campo: str, indice: int | None = None) -> None:
    if not 0 < x < grupo.p:
        raise ErrorDecodificacion(
            Motivo.FUERA_DE_RANGO_P,
            f"El valor de «{campo}» no está en el intervalo 1..p−1.",
            campo=campo,
            **({} if indice is None else {"indice": indice}),
        )


def _error_no_miembro(campo: str, indice: int | None) -> ErrorDecodificacion:
    return ErrorDecodificacion(
        Motivo.NO_ES_MIEMBRO_SUBGRUPO,
        f"El valor de «{campo}» no pertenece al subgrupo de orden q (x^q ≢ 1 mod p).",
        campo=campo,
        **({} if indice is None else {"indice": indice}),
    )


def _mismo_grupo(a: Grupo, b: Grupo) -> None:
    if a is not b and a != b:
        raise ErrorDecodificacion(Motivo.GRUPO_DISTINTO, "Los elementos pertenecen a grupos distintos.")


class ElementoQ:
    """Elemento de Z_q (exponentes, nonces, respuestas y retos de las pruebas)."""

    __slots__ = ("grupo", "valor")
    valor: mpz
    grupo: Grupo

    def __init__(self, valor: int, grupo: Grupo) -> None:
        if isinstance(valor, bool) or not isinstance(valor, (int, type(mpz(0)))):
            raise ErrorDecodificacion(Motivo.TIPO_INVALIDO, "Un elemento de Z_q debe ser entero.")
        v = mpz(valor)
        if not 0 <= v < grupo.q:
            raise ErrorDecodificacion(Motivo.FUERA_DE_RANGO_Q, "El valor no está en el intervalo 0..q−1.")
        object.__setattr__(self, "valor", v)
        object.__setattr__(self, "grupo", grupo)

    @classmethod
    def _confiable(cls, valor: mpz, grupo: Grupo) -> ElementoQ:
        obj = object.__new__(cls)
        object.__setattr__(obj, "valor", valor)
        object.__setattr__(obj, "grupo", grupo)
        return obj

    def __setattr__(self, nombre: str, valor: Any) -> None:
        raise AttributeError("ElementoQ es inmutable")

    def _otro(self, otro: ElementoQ | int) -> mpz:
        if isinstance(otro, ElementoQ):
            _mismo_grupo(self.grupo, otro.grupo)
            return otro.valor
        return mpz(otro)

    def __add__(self, otro: ElementoQ | int) -> ElementoQ:
        return ElementoQ._confiable((self.valor + self._otro(otro)) % self.grupo.q, self.grupo)

    __radd__ = __add__

    def __sub__(self, otro: ElementoQ | int) -> ElementoQ:
        return ElementoQ._confiable((self.valor - self._otro(otro)) % self.grupo.q, self.grupo)

    def __rsub__(self, otro: ElementoQ | int) -> ElementoQ:
        return ElementoQ._confiable((self._otro(otro) - self.valor) % self.grupo.q, self.grupo)

    def __mul__(self, otro: ElementoQ | int) -> ElementoQ:
        return ElementoQ._confiable((self.valor * self._otro(otro)) % self.grupo.q, self.grupo)

    __rmul__ = __mul__

    def __neg__(self) -> ElementoQ:
        return ElementoQ._confiable((-self.valor) % self.grupo.q, self.grupo)

    def __eq__(self, otro: object) -> bool:
        if isinstance(otro, ElementoQ):
            return self.valor == otro.valor and self.grupo == otro.grupo
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Q", int(self.valor)))

    def __int__(self) -> int:
        return int(self.valor)

    def __repr__(self) -> str:
        # Un ElementoQ puede ser un secreto (nonce, coeficiente): nunca se muestra su valor.
        return "ElementoQ(<oculto>)"


class ElementoP:
    """Elemento del subgrupo Z_p^r de orden q (§2.2).

    El constructor público comprueba rango y pertenencia (V-G1).  Para muchos valores
    externos, ``Grupo.elementos_p`` usa la prueba por lotes (V-G2).
    """

    __slots__ = ("grupo", "valor")
    valor: mpz
    grupo: Grupo

    def __init__(self, valor: int, grupo: Grupo) -> None:
        if isinstance(valor, bool) or not isinstance(valor, (int, type(mpz(0)))):
            raise ErrorDecodificacion(Motivo.TIPO_INVALIDO, "Un elemento de Z_p^r debe ser entero.")
        v = mpz(valor)
        _comprobar_rango_p(v, grupo, "elemento")
        if ar.potencia(v, grupo.q, grupo.p) != 1:
            raise _error_no_miembro("elemento", None)
        object.__setattr__(self, "valor", v)
        object.__setattr__(self, "grupo", grupo)

    @classmethod
    def _confiable(cls, valor: mpz, grupo: Grupo) -> ElementoP:
        obj = object.__new__(cls)
        object.__setattr__(obj, "valor", valor)
        object.__setattr__(obj, "grupo", grupo)
        return obj

    def __setattr__(self, nombre: str, valor: Any) -> None:
        raise AttributeError("ElementoP es inmutable")

    def __mul__(self, otro: ElementoP) -> ElementoP:
        _mismo_grupo(self.grupo, otro.grupo)
        return ElementoP._confiable(self.valor * otro.valor % self.grupo.p, self.grupo)

    def __pow__(self, exponente: ElementoQ | int) -> ElementoP:
        e = exponente.valor if isinstance(exponente, ElementoQ) else mpz(exponente) % self.grupo.q
        return ElementoP._confiable(ar.potencia(self.valor, e, self.grupo.p), self.grupo)

    def potencia_secreta(self, exponente: ElementoQ) -> ElementoP:
        """self^e en tiempo constante, para llaves de custodios (§2.4.4)."""
        return ElementoP._confiable(ar.potencia_secreta(self.valor, exponente.valor, self.grupo.p), self.grupo)

    def inverso(self) -> ElementoP:
        return ElementoP._confiable(ar.inverso(self.valor, self.grupo.p), self.grupo)

    def __truediv__(self, otro: ElementoP) -> ElementoP:
        return self * otro.inverso()

    def __eq__(self, otro: object) -> bool:
        if isinstance(otro, ElementoP):
            return self.valor == otro.valor and self.grupo == otro.grupo
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("P", int(self.valor)))

    def __int__(self) -> int:
        return int(self.valor)

    def __repr__(self) -> str:
        return f"ElementoP({format(int(self.valor), 'X')[:16]}…)"


_P = mpz(int(_P_HEX, 16))

#: §2.1: el grupo estándar; g = 2^r mod p con r = (p − 1)/q.
GRUPO_ESTANDAR = Grupo(
    nombre="ElectionGuard 2.0 estándar (4096 bits)",
    p=_P,
    q=mpz(_Q),
    g=ar.potencia(mpz(2), (_P - 1) // _Q, _P),
)
DELTA_ESTANDAR = _DELTA
