"""Registro de todas las tablas (importar este módulo llena ``Base.metadata``)."""

from .ceremonia import CustodioAsignado, MensajeCeremonia
from .computo import ComputoProceso, MensajeComputo  # noqa: F401
from .correo import MensajeSaliente
from .cuentas import CredencialPublica, CuentaElector, ListaCredencialesPublicas
from .lnere import CorteLNERE, RegistroLNERE
from .personal import EnlaceActivacion, EntradaBitacora, IntentoAcceso, Sesion, Usuario
from .sivei import ProcesoElectoral
from .srve import EventoSolicitud, Solicitud
from .votacion import BoletaRecibida, CabezaTablero, CifradoUsado, EntradaTableroBD, MarcaVoto  # noqa: F401

__all__ = [
    "CorteLNERE",
    "CredencialPublica",
    "CuentaElector",
    "CustodioAsignado",
    "EnlaceActivacion",
    "EntradaBitacora",
    "EventoSolicitud",
    "IntentoAcceso",
    "ListaCredencialesPublicas",
    "MensajeCeremonia",
    "MensajeSaliente",
    "ProcesoElectoral",
    "RegistroLNERE",
    "Sesion",
    "Solicitud",
    "Usuario",
]
