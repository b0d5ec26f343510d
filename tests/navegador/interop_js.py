"""Herramientas de las pruebas de interoperabilidad JavaScript ↔ Python (tests/navegador).

Un módulo con nombre propio (no ``conftest``): los módulos de prueba de esta carpeta lo importan
por su nombre, y ``conftest`` es ambiguo cuando pytest carga varias carpetas a la vez.

- ``manifiesto_navegador``/``crear_eleccion``: la elección de estas pruebas (K = g^s, sin
  ceremonia) y sus formas JSON y de texto para JavaScript.
- ``PaginaVmre``: una página del mismo origen con ``vmre.js`` importado; ``js(cuerpo, arg)``
  evalúa un cuerpo de función asíncrona y devuelve su resultado, o lanza ``ErrorJs`` con el
  código de la ``ErrorVmre``.
- ``verificar_en_python``: decodificación estricta y ``verificar_boleta`` de ``vmre_crypto``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    BoletaCifrada,
    ConfiguracionEleccion,
    ContextoEleccion,
    Contienda,
    EstiloBoleta,
    Manifiesto,
    Opcion,
    ParCredencial,
    codificar_credencial_secreta,
    deserializar,
    generar_credencial,
    serializar,
    verificar_boleta,
)
from vmre_crypto.serializacion import texto_canonico
from vmre_crypto.testing.azar import con_semilla

AQUI = Path(__file__).parent
#: Ruta del mismo origen donde ``page.route`` sirve los archivos JavaScript de esta carpeta.
RUTA_PRUEBAS_JS = "/estaticos/vmre-pruebas/"
URL_FUENTE_DETERMINISTA = RUTA_PRUEBAS_JS + "fuente_determinista.js"
URL_VMRE = "/estaticos/vmre/vmre.js"
URL_TRABAJADOR = "/estaticos/vmre/trabajador.js"


# -- la elección de estas pruebas ------------------------------------------------------------
def manifiesto_navegador() -> Manifiesto:
    """Varias contiendas con límites 1, 2 y 3, acentos y ñ en las etiquetas, y dos estilos con
    las mismas contiendas (``NORTE`` y ``SUR``: cambiar uno por otro solo lo detecta el código)."""

    def opciones(*etiquetas: str) -> tuple[Opcion, ...]:
        return tuple(Opcion(i, e) for i, e in enumerate(etiquetas, start=1))

    contiendas = (
        Contienda(
            1,
            "Gubernatura de Nuevo León",
            1,
            opciones("PAN", "PRI", "MORENA", "MC", "Candidatura no registrada", "Voto nulo"),
        ),
        Contienda(
            2,
            "Diputación migrante — elige hasta 2",
            2,
            opciones("Fórmula Ñandú", "Fórmula Pingüino", "Fórmula Águila", "Fórmula Búho"),
        ),
        Contienda(3, "Consulta popular: ¿año 2027?", 1, opciones("Sí", "No")),
        Contienda(4, "Regidurías (hasta 3)", 3, opciones("Peña", "Muñoz", "Ibáñez", "Güemes", "Núñez")),
    )
    estilos = (
        EstiloBoleta("NORTE", (1, 2)),
        EstiloBoleta("SUR", (1, 2)),
        EstiloBoleta("CDMX", (2, 3, 4)),
        EstiloBoleta("UNICO", (3,)),
    )
    return Manifiesto("Elección de prueba del navegador — año 2027, señoría", contiendas, estilos)


@dataclass(frozen=True)
class EleccionNavegador:
    """Contexto (con K = g^s) y credenciales, con sus formas JSON y de texto para JavaScript."""

    contexto: ContextoEleccion
    credenciales: tuple[ParCredencial, ...]

    @property
    def contexto_json(self) -> dict[str, Any]:
        """El documento que la cabina recibe en ``"contexto"`` (``json.loads(serializar(contexto))``)."""
        return json.loads(serializar(self.contexto))

    def texto_credencial(self, i: int) -> str:
        return codificar_credencial_secreta(self.credenciales[i].secreta)


def crear_eleccion(semilla: str, manifiesto: Manifiesto, credenciales: int = 3) -> EleccionNavegador:
    """Una elección sin ceremonia: K = g^s con s de la fuente determinista (basta para cifrar)."""
    with con_semilla(semilla):
        s = GRUPO_ESTANDAR.aleatorio_q()
        configuracion = ConfiguracionEleccion(
            5, 3, "2027-06-06", "Pruebas del navegador: cabina en JavaScript", manifiesto
        )
        contexto = ContextoEleccion.crear(configuracion, GRUPO_ESTANDAR.g_a_la(s))
        pares = tuple(generar_credencial(GRUPO_ESTANDAR) for _ in range(credenciales))
    return EleccionNavegador(contexto, pares)


def boleta_desde_json(documento: dict[str, Any]) -> BoletaCifrada:
    """Decodificación estricta de Python (rangos, pertenencia al subgrupo) de una boleta de JS."""
    return deserializar(texto_canonico(documento), BoletaCifrada, GRUPO_ESTANDAR)


def verificar_en_python(contexto: ContextoEleccion, documento: dict[str, Any]) -> BoletaCifrada:
    boleta = boleta_desde_json(documento)
    verificar_boleta(contexto, boleta)
    return boleta


@dataclass(frozen=True)
class ServidorEstaticos:
    url: str


class ErrorJs(Exception):
    """Una ``ErrorVmre`` (u otra excepción) lanzada por el JavaScript evaluado en la página."""

    def __init__(self, codigo: str | None, mensaje: str) -> None:
        super().__init__(f"[{codigo}] {mensaje}")
        self.codigo = codigo
        self.mensaje = mensaje


#: Envoltura de cada evaluación.  El cuerpo se pega en el texto de la función (``page.evaluate``
#: lo evalúa por el protocolo de depuración, fuera de la CSP); construirlo dentro de la página con
#: ``new Function`` sería ``eval``, que la CSP bloquea.  Los errores vuelven como valor
#: (``{__error__: …}``) para conservar el código de ``ErrorVmre``.
_ENVOLTURA = """async (arg) => {
  const vmre = await import(%(vmre)s);
  const importar = (ruta) => import(ruta);
  const hex = vmre.bytesAHex, bytes = vmre.hexABytes;
  try {
    const valor = await (async () => {
%(cuerpo)s
    })();
    return { valor };
  } catch (e) {
    return { __error__: { codigo: e && e.codigo !== undefined ? e.codigo : null,
                          mensaje: String(e && (e.mensaje || e.message || e)) } };
  }
}"""


class PaginaVmre:
    """Una página del mismo origen con la biblioteca importada; ``js`` evalúa cuerpos de función.

    El cuerpo recibe ``vmre`` (módulo público), ``importar(ruta)``, ``hex``/``bytes`` (atajos de
    ``bytesAHex``/``hexABytes``) y ``arg`` (cualquier valor JSON); lo que devuelve (``return``)
    vuelve a Python.  Los enteros grandes viajan como hexadecimal.
    """

    def __init__(self, pagina: Any, url: str) -> None:
        self.pagina = pagina
        self.url = url

    def js(self, cuerpo: str, arg: Any = None) -> Any:
        fuente = _ENVOLTURA % {"vmre": json.dumps(URL_VMRE), "cuerpo": cuerpo}
        resultado = self.pagina.evaluate(fuente, arg)
        if "__error__" in resultado:
            error = resultado["__error__"]
            raise ErrorJs(error["codigo"], error["mensaje"])
        return resultado.get("valor")

    def error_js(self, cuerpo: str, arg: Any = None) -> ErrorJs:
        """Evalúa ``cuerpo`` y devuelve la excepción que lanzó (falla si no lanzó)."""
        try:
            valor = self.js(cuerpo, arg)
        except ErrorJs as e:
            return e
        raise AssertionError(f"el JavaScript no lanzó error; devolvió {valor!r}")
