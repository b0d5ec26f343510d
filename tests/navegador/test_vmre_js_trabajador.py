"""El Web Worker de la cabina (``/estaticos/vmre/trabajador.js``, 23.8) frente a ``vmre_crypto``.

Una sola página para todo el módulo; el trabajador se crea desde ella (mismo origen, módulo ES) y
se conserva entre pruebas en ``globalThis``.  Protocolo: cada mensaje lleva ``id`` y ``orden``; la
respuesta repite ambos y trae ``ok``, y si ``ok`` es falso, ``error: {codigo, mensaje}``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from interop_js import URL_TRABAJADOR, EleccionNavegador, PaginaVmre, boleta_desde_json, verificar_en_python

from vmre_crypto import GRUPO_ESTANDAR, AperturaBoleta, abrir_boleta, deserializar
from vmre_crypto.serializacion import texto_canonico

#: ``pedir(nombre, mensaje)``: manda ``mensaje`` al trabajador ``nombre`` (lo crea si no existe) y
#: espera la respuesta con su mismo ``id``; comprueba que la respuesta repite ``id`` y ``orden``.
PEDIR_JS = f"""
const trabajadores = (globalThis.trabajadores ??= {{}});
globalThis.siguienteId ??= 1;
const pedir = (nombre, mensaje) => {{
  const t = (trabajadores[nombre] ??= new Worker("{URL_TRABAJADOR}", {{ type: "module" }}));
  const id = globalThis.siguienteId++;
  return new Promise((resolver, rechazar) => {{
    const alFallar = (e) => rechazar(new Error("error en el trabajador: " + e.message));
    const alRecibir = (evento) => {{
      if (evento.data.id !== id) return;
      t.removeEventListener("message", alRecibir);
      t.removeEventListener("error", alFallar);
      if (evento.data.orden !== mensaje.orden) rechazar(new Error("la respuesta no repite la orden"));
      resolver(evento.data);
    }};
    t.addEventListener("message", alRecibir);
    t.addEventListener("error", alFallar);
    t.postMessage({{ ...mensaje, id }});
  }});
}};
"""


def _pedir(pagina: PaginaVmre, *mensajes: dict[str, Any], nombre: str = "principal") -> list[dict[str, Any]]:
    """Manda los mensajes en orden (esperando cada respuesta) y devuelve las respuestas."""
    return pagina.js(  # type: ignore[no-any-return]
        PEDIR_JS
        + "const salida = []; for (const m of arg.mensajes) salida.push(await pedir(arg.nombre, m)); return salida;",
        {"nombre": nombre, "mensajes": list(mensajes)},
    )


def _preparar(eleccion: EleccionNavegador) -> dict[str, Any]:
    return {"orden": "preparar", "contexto": eleccion.contexto_json}


def _cifrar(eleccion: EleccionNavegador, estilo: str, marcas: dict[str, list[int]], cred: int = 0) -> dict[str, Any]:
    return {"orden": "cifrar", "estilo": estilo, "marcas": marcas, "credencial": eleccion.texto_credencial(cred)}


def _apertura(documento: dict[str, Any]) -> AperturaBoleta:
    return deserializar(texto_canonico(documento), AperturaBoleta, GRUPO_ESTANDAR)


@pytest.fixture(scope="module")
def preparado(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> dict[str, Any]:
    """El trabajador «principal» del módulo, ya con el contexto y sus tablas."""
    (respuesta,) = _pedir(pagina_vmre, _preparar(eleccion))
    return respuesta


def test_preparar_cifrar_desafiar_y_abrir(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, preparado: dict[str, Any]
) -> None:
    marcas = {"2": [2, 4], "3": [1], "4": [1, 2, 5]}
    cifrado, desafio = _pedir(pagina_vmre, _cifrar(eleccion, "CDMX", marcas), {"orden": "desafiar"})
    # preparar: valida el contexto y construye las tablas.
    assert preparado["ok"] is True, preparado
    assert preparado["h_e"] == eleccion.contexto.h_e.hex().upper()
    assert preparado["ms"]["contexto"] >= 0 and preparado["ms"]["tablas"] >= 0
    # cifrar: la boleta del trabajador la acepta Python, con su código y su id.
    assert cifrado["ok"] is True, cifrado
    boleta = verificar_en_python(eleccion.contexto, cifrado["boleta"])
    assert cifrado["codigo"] == boleta.codigo_confirmacion.hex().upper()
    assert cifrado["id_boleta"] == boleta.id_boleta
    assert boleta.credencial == eleccion.credenciales[0].publica
    assert cifrado["ms"]["cifrado"] > 0
    # desafiar: la apertura de la última boleta; Python la abre y lee las marcas.
    assert desafio["ok"] is True, desafio
    apertura = desafio["apertura"]
    assert (apertura["tipo"], apertura["version"], apertura["id_boleta"]) == (
        "apertura_boleta",
        "vmre-1.0",
        boleta.id_boleta,
    )
    assert abrir_boleta(eleccion.contexto, boleta, _apertura(apertura)) == {2: (2, 4), 3: (1,), 4: (1, 2, 5)}
    # abrir: el trabajador verifica y abre la misma boleta (lo que hace la cabina tras desafiar).
    (abierta,) = _pedir(pagina_vmre, {"orden": "abrir", "boleta": cifrado["boleta"], "apertura": apertura})
    assert abierta["ok"] is True, abierta
    assert abierta["selecciones"] == marcas
    # El desafío revela ξ_B una sola vez: después ya no hay boleta que desafiar.
    (otra_vez,) = _pedir(pagina_vmre, {"orden": "desafiar"})
    assert otra_vez["ok"] is False and otra_vez["error"]["codigo"]


@pytest.mark.usefixtures("preparado")
def test_olvidar_borra_la_ultima_boleta(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    cifrado, olvido, desafio = _pedir(
        pagina_vmre, _cifrar(eleccion, "NORTE", {"1": [1]}, 1), {"orden": "olvidar"}, {"orden": "desafiar"}
    )
    assert cifrado["ok"] is True and olvido["ok"] is True
    assert desafio["ok"] is False and "apertura" not in desafio


@pytest.mark.usefixtures("preparado")
def test_medir_no_guarda_nada(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    medido, desafio = _pedir(
        pagina_vmre, {**_cifrar(eleccion, "UNICO", {"3": [2]}, 2), "orden": "medir"}, {"orden": "desafiar"}
    )
    assert medido["ok"] is True, medido
    verificar_en_python(eleccion.contexto, medido["boleta"])
    assert medido["ms"]["cifrado"] > 0
    assert desafio["ok"] is False


@pytest.mark.usefixtures("preparado")
def test_abrir_con_apertura_alterada(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    cifrado, desafio = _pedir(pagina_vmre, _cifrar(eleccion, "SUR", {"2": [3]}), {"orden": "desafiar"})
    apertura = dict(desafio["apertura"], nonce_boleta="00" * 32)
    (abierta,) = _pedir(pagina_vmre, {"orden": "abrir", "boleta": cifrado["boleta"], "apertura": apertura})
    assert abierta["ok"] is False
    assert abierta["error"]["codigo"] == "apertura_invalida"


@pytest.mark.parametrize(
    ("mensaje", "codigo"),
    [
        ({"orden": "cifrar", "estilo": "NORTE", "marcas": {"1": [1, 2]}}, "limite_excedido"),
        ({"orden": "cifrar", "estilo": "NORTE", "marcas": {"3": [1]}}, "boleta_no_corresponde_al_manifiesto"),
        ({"orden": "cifrar", "estilo": "NORTE", "marcas": {"1": [1]}, "credencial": "0000-0000"}, "formato_invalido"),
    ],
    ids=["limite", "contienda-ajena", "credencial-corta"],
)
@pytest.mark.usefixtures("preparado")
def test_errores_del_trabajador(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, mensaje: dict[str, Any], codigo: str
) -> None:
    mensaje = {"credencial": eleccion.texto_credencial(0), **mensaje}
    (respuesta,) = _pedir(pagina_vmre, mensaje)
    assert respuesta["ok"] is False
    assert respuesta["error"]["codigo"] == codigo
    assert respuesta["error"]["mensaje"]


def test_trabajador_nuevo_rechaza_contexto_alterado_y_cifrar_sin_contexto(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador
) -> None:
    alterado = json.loads(json.dumps(eleccion.contexto_json))
    alterado["h_e"] = "00" * 32
    sin_contexto, rechazado = _pedir(
        pagina_vmre,
        _cifrar(eleccion, "NORTE", {"1": [1]}),
        {"orden": "preparar", "contexto": alterado},
        nombre="nuevo",
    )
    assert sin_contexto["ok"] is False and sin_contexto["error"]["codigo"] == "contexto_invalido"
    assert rechazado["ok"] is False and rechazado["error"]["codigo"] == "contexto_invalido"
    # Orden desconocida: error con código, sin romper el trabajador.
    desconocida, bueno = _pedir(pagina_vmre, {"orden": "inventada"}, _preparar(eleccion), nombre="nuevo")
    assert desconocida["ok"] is False and desconocida["error"]["codigo"]
    assert bueno["ok"] is True
    boleta = boleta_desde_json(_pedir(pagina_vmre, _cifrar(eleccion, "UNICO", {}), nombre="nuevo")[0]["boleta"])
    assert boleta.estilo == "UNICO"
