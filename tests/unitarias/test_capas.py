"""Mechanical check that the library's layers only import downward (STYLE.md principle 1).

Every module of vmre_crypto is assigned a layer; a module may import only modules of a
strictly lower layer (plus the standard library and third-party packages).  The server,
when it exists, may import only the public API ``vmre_crypto`` itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]

CAPAS: dict[str, int] = {
    "vmre_crypto.errores": 0,
    "vmre_crypto.primitivas._aritmetica": 1,
    "vmre_crypto.primitivas.grupo": 2,
    "vmre_crypto.primitivas.hash": 3,
    "vmre_crypto.primitivas.parametros": 4,
    "vmre_crypto.primitivas.logaritmo": 4,
    "vmre_crypto.primitivas.elgamal": 5,
    "vmre_crypto.primitivas.shamir": 6,
    "vmre_crypto.primitivas.cifrado_comparticion": 6,
    "vmre_crypto.primitivas.pruebas_zk.schnorr": 6,
    "vmre_crypto.primitivas.pruebas_zk.rango": 6,
    "vmre_crypto.primitivas.pruebas_zk.descifrado": 6,
    "vmre_crypto.primitivas.pruebas_zk.firma": 6,
    "vmre_crypto.primitivas.pruebas_zk": 7,
    "vmre_crypto.primitivas": 7,
    "vmre_crypto.testing.azar": 7,
    "vmre_crypto.serializacion": 8,
    "vmre_crypto.manifiesto": 9,
    "vmre_crypto.eleccion": 10,
    "vmre_crypto.credenciales": 11,
    "vmre_crypto.ceremonia": 12,
    "vmre_crypto.boletas": 12,
    "vmre_crypto.escrutinio": 13,
    "vmre_crypto.descifrado": 14,
    "vmre_crypto.registro.tablero": 15,
    "vmre_crypto.registro.documentos": 15,
    "vmre_crypto.registro.escritor": 16,
    "vmre_crypto.registro": 17,
    "vmre_crypto.verificador.catalogo": 17,
    "vmre_crypto.verificador.informe": 18,
    "vmre_crypto.verificador.trabajador": 18,
    "vmre_crypto.verificador.verificar": 19,
    "vmre_crypto.verificador": 20,
    "vmre_crypto.testing.estrategias": 15,
    "vmre_crypto.testing": 16,
    "vmre_crypto.ejemplo": 21,
    "vmre_crypto": 22,
    "vmre_crypto.cli": 23,
    "vmre_crypto.__main__": 24,
}


def _modulo(ruta: Path) -> str:
    partes = list(ruta.relative_to(RAIZ).with_suffix("").parts)
    if partes[-1] == "__init__":
        partes.pop()
    return ".".join(partes)


def _importados(ruta: Path, modulo: str) -> set[str]:
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    paquete = modulo if ruta.name == "__init__.py" else modulo.rsplit(".", 1)[0]
    salida: set[str] = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            salida.update(a.name for a in nodo.names)
        elif isinstance(nodo, ast.ImportFrom):
            if nodo.level:
                base = paquete.split(".")
                base = base[: len(base) - (nodo.level - 1)]
                destino = ".".join(base + ([nodo.module] if nodo.module else []))
            else:
                destino = nodo.module or ""
            # «from . import x» importa el submódulo x, no el paquete.
            for alias in nodo.names:
                candidato = f"{destino}.{alias.name}"
                salida.add(candidato if candidato in CAPAS else destino)
    return {m for m in salida if m == "vmre_crypto" or m.startswith("vmre_crypto.")}


MODULOS = sorted(
    (p for p in (RAIZ / "vmre_crypto").rglob("*.py")), key=lambda p: str(p)
)


def test_every_module_has_a_layer() -> None:
    sin_capa = [_modulo(p) for p in MODULOS if _modulo(p) not in CAPAS]
    assert not sin_capa, f"modules without an assigned layer: {sin_capa}"


@pytest.mark.parametrize("ruta", MODULOS, ids=lambda p: _modulo(p))
def test_imports_only_go_down(ruta: Path) -> None:
    modulo = _modulo(ruta)
    capa = CAPAS[modulo]
    for importado in _importados(ruta, modulo):
        assert importado in CAPAS, f"{modulo} imports unknown module {importado}"
        assert CAPAS[importado] < capa, f"{modulo} (layer {capa}) imports {importado} (layer {CAPAS[importado]})"


def test_server_uses_only_public_api() -> None:
    servidor = RAIZ / "servidor_referencia"
    for ruta in servidor.rglob("*.py") if servidor.exists() else []:
        for importado in _importados(ruta, _modulo(ruta)):
            assert importado == "vmre_crypto", f"{ruta} imports {importado}: only 'vmre_crypto' is allowed"


def test_checker_detects_an_upward_import(tmp_path: Path) -> None:
    """The checker itself must catch a violation (a test that cannot fail is a defect)."""
    falso = RAIZ / "vmre_crypto" / "primitivas" / "grupo.py"
    imports = _importados(falso, "vmre_crypto.primitivas.grupo")
    assert "vmre_crypto.errores" in imports
    assert "vmre_crypto.primitivas._aritmetica" in imports
    arbol_malo = tmp_path / "malo.py"
    arbol_malo.write_text("from ..boletas import cifrar_boleta\n", encoding="utf-8")
    # Interpreted as if it lived in vmre_crypto/primitivas/: it imports a higher layer.
    destino = _importados(arbol_malo, "vmre_crypto.primitivas.malo")
    assert "vmre_crypto.boletas" in destino
    assert CAPAS["vmre_crypto.boletas"] > CAPAS["vmre_crypto.primitivas.grupo"]


# --- Capas internas del servidor de referencia ------------------------------------------
# errores/configuración → bd → dominio → web → fábrica/cli.  Los clientes (autoridad de
# credenciales) corren en otra máquina: hablan HTTP y SMTP, nunca tocan la base ni la web.
CAPAS_SERVIDOR: dict[str, int] = {
    "servidor_referencia.errores": 0,
    "servidor_referencia.configuracion": 0,
    "servidor_referencia.bd": 1,
    "servidor_referencia.dominio": 2,
    "servidor_referencia.clientes": 2,
    "servidor_referencia.web": 3,
    "servidor_referencia.cli": 4,
    "servidor_referencia.cli_lnere": 4,
    "servidor_referencia": 5,
}


def _capa_servidor(modulo: str) -> tuple[str, int]:
    partes = modulo.split(".")
    for n in range(len(partes), 0, -1):
        prefijo = ".".join(partes[:n])
        if prefijo in CAPAS_SERVIDOR:
            return prefijo, CAPAS_SERVIDOR[prefijo]
    raise AssertionError(f"{modulo} no tiene capa asignada")


def _importados_servidor(ruta: Path, modulo: str) -> set[str]:
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    paquete = modulo if ruta.name == "__init__.py" else modulo.rsplit(".", 1)[0]
    salida: set[str] = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.ImportFrom) and nodo.level:
            base = paquete.split(".")
            base = base[: len(base) - (nodo.level - 1)]
            destino = ".".join(base + ([nodo.module] if nodo.module else []))
            salida.update(f"{destino}.{a.name}" if not nodo.module else destino for a in nodo.names)
        elif isinstance(nodo, ast.ImportFrom) and (nodo.module or "").startswith("servidor_referencia"):
            salida.add(nodo.module or "")
        elif isinstance(nodo, ast.Import):
            salida.update(a.name for a in nodo.names if a.name.startswith("servidor_referencia"))
    return salida


MODULOS_SERVIDOR = sorted((RAIZ / "servidor_referencia").rglob("*.py"), key=str)


@pytest.mark.parametrize("ruta", MODULOS_SERVIDOR, ids=lambda p: _modulo(p))
def test_server_layers_only_import_downward(ruta: Path) -> None:
    modulo = _modulo(ruta)
    zona, capa = _capa_servidor(modulo)
    for importado in _importados_servidor(ruta, modulo):
        zona_i, capa_i = _capa_servidor(importado)
        if zona_i == zona:
            continue
        assert capa_i < capa, f"{modulo} (capa {capa}) importa {importado} (capa {capa_i})"
        if zona == "servidor_referencia.clientes":
            assert zona_i in ("servidor_referencia.errores", "servidor_referencia.configuracion"), (
                f"el cliente {modulo} no debe importar {importado}: habla con el servidor por HTTP")


def test_server_layer_checker_detects_violation(tmp_path: Path) -> None:
    malo = tmp_path / "malo.py"
    malo.write_text("from ..web.seguridad import usuario_actual\n", encoding="utf-8")
    importados = _importados_servidor(malo, "servidor_referencia.dominio.malo")
    assert "servidor_referencia.web.seguridad" in importados
    assert _capa_servidor("servidor_referencia.web.seguridad")[1] > _capa_servidor("servidor_referencia.dominio.malo")[1]
