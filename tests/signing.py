"""Test signatures: a throwaway certification authority, one certificate per signatory, pyHanko signing in turn."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

FIELDS = ["signature-prefet", "signature-president-epci", "signature-maire", "signature-bailleur"]
SIGNERS = ["Préfet d'essai", "Président d'essai", "Maire d'essai", "Directeur d'essai"]


@dataclass(frozen=True)
class Authority:
    """A test certification authority and the signers it certified: its certificate goes in a --confiance folder."""

    folder: Path  # holds autorite.pem only: the trust root
    signers: dict[str, signers.SimpleSigner]  # common name -> signer


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(authority: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not authority,
        content_commitment=not authority,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=authority,
        crl_sign=authority,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(
    subject: str, issuer: str, public: rsa.RSAPublicKey, key: rsa.RSAPrivateKey, authority: bool
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        .add_extension(_usage(authority), critical=True)
        .sign(key, hashes.SHA256())
    )


def _pem(path: Path, certificate: x509.Certificate) -> Path:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def make_authority(folder: Path, names: list[str], authority_name: str = "Autorité d'essai atfpb") -> Authority:
    """A CA (its certificate alone in folder/confiance) and one signer per name, certified by it."""
    trust, keys = folder / "confiance", folder / "cles"
    trust.mkdir(parents=True)
    keys.mkdir()
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _certificate(authority_name, authority_name, root_key.public_key(), root_key, authority=True)
    root_pem = _pem(trust / "autorite.pem", root)
    made = {}
    for number, name in enumerate(names):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_pem = keys / f"cle-{number}.pem"
        key_pem.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        cert_pem = _pem(
            keys / f"certificat-{number}.pem", _certificate(name, authority_name, key.public_key(), root_key, False)
        )
        signer = signers.SimpleSigner.load(str(key_pem), str(cert_pem), ca_chain_files=(str(root_pem),))
        assert signer is not None
        made[name] = signer
    return Authority(trust, made)


def sign(source: Path, destination: Path, field: str, signer: signers.SimpleSigner) -> Path:
    """Sign one existing field, as an incremental update (the earlier revisions stay byte for byte)."""
    with open(source, "rb") as handle, open(destination, "wb") as target:
        writer = IncrementalPdfFileWriter(handle)
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field), signer=signer, output=target)
    return destination


def sign_in_turn(source: Path, folder: Path, authority: Authority, fields: list[str] = FIELDS) -> Path:
    """The four parties sign one after the other, each on the copy the previous one returned."""
    current = source
    for number, (field, name) in enumerate(zip(fields, authority.signers, strict=False), start=1):
        current = sign(current, folder / f"signe-{number}.pdf", field, authority.signers[name])
    return current
