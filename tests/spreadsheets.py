"""Open a workbook as the office would: in LibreOffice, converted to CSV text."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def libreoffice_csv(data: bytes, folder: Path) -> str:
    """The workbook's first sheet as LibreOffice reads it; skipped where it is not installed
    (CI must have it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must open the workbook in LibreOffice; .ci/run installs it")
        pytest.skip("LibreOffice is not installed; the openpyxl checks still ran")
    source = folder / "workbook.xlsx"
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/libreoffice-profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (folder / "workbook.csv").read_text(encoding="utf-8", errors="replace")
