"""Serve recorded responses on a pytest-httpserver ``HTTPServer`` (tests and server.py).

Where a real response body exists (``../shared/realdata``: SP2KP generate-perbandingan-harga
of 13 and 14 Jul 2026, PIHPS GetGridData1 of 1 Feb and 1 Jun 2026), it is served byte for
byte; other requests to those endpoints get the empty answer the source gives for a day it
has nothing for. Endpoints without a real body serve the synthetic files of this folder
(``build_fixtures.py``). Requests are checked the way the real servers are known to care:
PIHPS wants its session cookie and ``X-Requested-With``, SP2KP wants multipart forms.

Paths: ``/bapanas/api/``, ``/pihps/``, ``/sp2kp/``, ``/fuel/api/prices.json`` and
``/wfp/api/3/action/``; ``env(base)`` gives the JSW_* overrides pointing there.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

HERE = Path(__file__).resolve().parent
REALDATA = HERE.parents[2] / "shared" / "realdata"
PIHPS_COOKIE = "ASP.NET_SessionId"
WFP_CSV_PATH = (
    "/wfp/dataset/wfp-food-prices-for-indonesia/resource/r1/download/wfp_food_prices_idn.csv"
)
SP2KP_EMPTY = {"status": "success", "message": "Success retrieving record", "data": []}


def load(name: str) -> dict:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _json(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def env(base_url: str) -> dict[str, str]:
    """JSW_* overrides that point every connector at the replay server."""
    base = base_url.rstrip("/")
    return {
        "JSW_BAPANAS_URL": f"{base}/bapanas/api/",
        "JSW_PIHPS_URL": f"{base}/pihps/",
        "JSW_SP2KP_URL": f"{base}/sp2kp/",
        "JSW_FUEL_URL": f"{base}/fuel/api/prices.json",
        "JSW_WFP_URL": f"{base}/wfp/api/3/action/",
    }


def sp2kp_real_body(day: str) -> bytes | None:
    """The real generate-perbandingan-harga body recorded for ``tanggal=day``, if present."""
    path = REALDATA / "sp2kp" / f"api_{day}.json"
    return path.read_bytes() if path.is_file() else None


def pihps_real_body(category: str, day: dt.date) -> bytes | None:
    """The real GetGridData1 body recorded for this category and date, if present."""
    folder = REALDATA / "pihps_bi" / "grid"
    if not folder.is_dir():
        return None
    for path in folder.glob(f"pihps_grid_*_{category}_{day:%Y_%m_%d}.json"):
        return path.read_bytes()
    return None


def parse_grid1_date(text: str) -> dt.date | None:
    """``"Feb 1, 2026"`` -> date (the GetGridData1 ``tanggal`` form)."""
    try:
        return dt.datetime.strptime(text, "%b %d, %Y").date()
    except ValueError:
        return None


def parse_period(text: str) -> tuple[str, str]:
    """``"DD/MM/YYYY - DD/MM/YYYY"`` -> ISO start and end (empty strings when malformed)."""
    try:
        start, end = (dt.datetime.strptime(p.strip(), "%d/%m/%Y").date() for p in text.split("-"))
    except ValueError:
        return "", ""
    return start.isoformat(), end.isoformat()


def install_bapanas(server: HTTPServer) -> None:
    data = load("bapanas.json")
    server.expect_request("/bapanas/api/provinces").respond_with_json(data["provinces"])

    def cities(request: Request) -> Response:
        if request.args.get("province_id") != "5":
            return _json({"status": "success", "data": {"current_page": 1, "data": []}})
        page = int(request.args.get("page", "1"))
        return _json(data["cities"][page - 1])

    def prices(request: Request) -> Response:
        table = data["prices"].get(request.args.get("city_id", ""))
        return _json(table or {"status": "success", "data": []})

    def recap(request: Request) -> Response:
        start, end = parse_period(request.args.get("period_date", ""))
        if not start:
            return _json({"status": "error", "message": "period_date tidak valid"}, 422)
        body = data["recap"].get(request.args.get("city_id", ""), {"data": []})
        rows = [
            {**item, "by_date": [p for p in item["by_date"] if start <= p["date"] <= end]}
            for item in body["data"]
        ]
        return _json({"status": "success", "message": "Data berhasil diambil", "data": rows})

    server.expect_request("/bapanas/api/cities").respond_with_handler(cities)
    server.expect_request("/bapanas/api/front/harga-pangan-informasi").respond_with_handler(prices)
    server.expect_request("/bapanas/api/front/table-rekapitulasi").respond_with_handler(recap)


def _pihps_refused(request: Request) -> Response | None:
    if (
        PIHPS_COOKIE not in request.cookies
        or request.headers.get("X-Requested-With") != "XMLHttpRequest"
    ):
        return Response(
            "<html><body>403 Forbidden</body></html>", status=403, content_type="text/html"
        )
    return None


def install_pihps(server: HTTPServer) -> None:
    grids = load("pihps.json")
    home = (HERE / "pihps_home.html").read_text(encoding="utf-8")

    def session_page(request: Request) -> Response:
        response = Response(home, content_type="text/html; charset=utf-8")
        response.set_cookie(PIHPS_COOKIE, "replay-session")
        return response

    def grid(request: Request) -> Response:
        refused = _pihps_refused(request)
        if refused is not None:
            return refused
        key = f"{request.args.get('comcat_id')}|{request.args.get('start_date', '')[:7]}"
        body = grids.get(key, {"data": []})
        start, end = request.args.get("start_date", ""), request.args.get("end_date", "")
        rows = []
        for row in body["data"]:
            kept = {
                k: v
                for k, v in row.items()
                if "/" not in k or start <= f"{k[6:]}-{k[3:5]}-{k[:2]}" <= end
            }
            rows.append(kept)
        return _json({"data": rows})

    def grid1(request: Request) -> Response:
        refused = _pihps_refused(request)
        if refused is not None:
            return refused
        day = parse_grid1_date(request.args.get("tanggal", ""))
        real = pihps_real_body(request.args.get("commodity", ""), day) if day else None
        if real is None:
            return _json({"data": []})
        return Response(real, content_type="application/json")

    server.expect_request("/pihps/TabelHarga/PasarTradisionalKomoditas").respond_with_handler(
        session_page
    )
    server.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_handler(
        grid
    )
    server.expect_request("/pihps/WebSite/Home/GetGridData1").respond_with_handler(grid1)


def _multipart_only(request: Request) -> Response | None:
    if not (request.content_type or "").startswith("multipart/form-data"):
        return _json({"status": "error", "message": "form harus multipart/form-data"}, 400)
    return None


def install_sp2kp(server: HTTPServer) -> None:
    data = load("sp2kp.json")

    def series(request: Request) -> Response:
        refused = _multipart_only(request)
        if refused is not None:
            return refused
        form = request.form
        start, end = form.get("start_date", ""), form.get("end_date", "")
        body = data["prices"].get(start[:7], {"data": []})
        wanted = set(form.get("variant_ids", "").split(","))
        rows = [
            {**item, "daftarHarga": [e for e in item["daftarHarga"] if start <= e["date"] <= end]}
            for item in body["data"]
            if str(item["variant_id"]) in wanted or wanted == {""}
        ]
        return _json({"status": "success", "data": rows})

    def compare(request: Request) -> Response:
        refused = _multipart_only(request)
        if refused is not None:
            return refused
        real = sp2kp_real_body(request.form.get("tanggal", ""))
        if real is None:
            return _json(SP2KP_EMPTY)
        return Response(real, content_type="application/json")

    server.expect_request(
        "/sp2kp/report/api/average-price/export-area-daily-json", method="POST"
    ).respond_with_handler(series)
    server.expect_request(
        "/sp2kp/report/api/average-price/generate-perbandingan-harga", method="POST"
    ).respond_with_handler(compare)


def fuel_body() -> bytes:
    """The real price list (5 Jan 2026) when present, else the synthetic one."""
    real = REALDATA / "pertamina_fuel" / "harga_bbm_indo_prices_2026-01-05.json"
    return real.read_bytes() if real.is_file() else (HERE / "fuel_prices.json").read_bytes()


def install_fuel(server: HTTPServer) -> None:
    server.expect_request("/fuel/api/prices.json").respond_with_data(
        fuel_body(), content_type="application/json"
    )


def package_show(csv_url: str) -> dict:
    """A CKAN package_show answer naming the country CSV and the markets CSV."""
    return {
        "success": True,
        "result": {
            "name": "wfp-food-prices-for-indonesia",
            "resources": [
                {"name": "wfp_food_prices_idn.csv", "format": "CSV", "url": csv_url},
                {
                    "name": "wfp_markets_idn.csv",
                    "format": "CSV",
                    "url": csv_url.replace("food_prices", "markets"),
                },
            ],
        },
    }


def install_wfp(server: HTTPServer, csv_body: bytes | None = None) -> None:
    body = csv_body if csv_body is not None else (HERE / "wfp_food_prices_idn.csv").read_bytes()
    csv_path = (
        "/wfp/dataset/wfp-food-prices-for-indonesia/resource/r1/download/wfp_food_prices_idn.csv"
    )

    def show(request: Request) -> Response:
        if request.args.get("id") != "wfp-food-prices-for-indonesia":
            return _json({"success": False, "error": {"message": "Not found"}}, 404)
        return _json(package_show(request.host_url.rstrip("/") + csv_path))

    server.expect_request("/wfp/api/3/action/package_show").respond_with_handler(show)
    server.expect_request(csv_path).respond_with_data(body, content_type="text/csv")


def install(server: HTTPServer) -> None:
    """Register every source's recorded responses."""
    install_bapanas(server)
    install_pihps(server)
    install_sp2kp(server)
    install_fuel(server)
    install_wfp(server)
