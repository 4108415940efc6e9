"""Serve the recorded responses on a pytest-httpserver ``HTTPServer`` (tests and server.py).

Paths: ``/bapanas/api/``, ``/pihps/WebSite/``, ``/sp2kp/``, ``/fuel/api/prices.json`` and
``/wfp/wfp_food_prices_idn.csv``; ``env(base)`` gives the JSW_* overrides pointing there.
"""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

HERE = Path(__file__).resolve().parent
PIHPS_COOKIE = "ASP.NET_SessionId"


def load(name: str) -> dict:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _json(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def env(base_url: str) -> dict[str, str]:
    """JSW_* overrides that point every connector at the replay server."""
    base = base_url.rstrip("/")
    return {
        "JSW_BAPANAS_URL": f"{base}/bapanas/api/",
        "JSW_PIHPS_URL": f"{base}/pihps/WebSite/",
        "JSW_SP2KP_URL": f"{base}/sp2kp/",
        "JSW_FUEL_URL": f"{base}/fuel/api/prices.json",
        "JSW_WFP_URL": f"{base}/wfp/wfp_food_prices_idn.csv",
    }


def _month(start_date: str) -> str:
    return start_date[:7]


def install_bapanas(server: HTTPServer) -> None:
    data = load("bapanas.json")
    server.expect_request("/bapanas/api/front/province").respond_with_json(data["provinces"])

    def cities(request: Request) -> Response:
        ok = request.args.get("province_id") == "5"
        return _json(data["cities"] if ok else {"status": "success", "data": []})

    def prices(request: Request) -> Response:
        table = data["prices"].get(request.args.get("city_id", ""))
        return _json(table or {"status": "success", "data": []})

    server.expect_request("/bapanas/api/front/cities").respond_with_handler(cities)
    server.expect_request("/bapanas/api/front/harga-pangan-informasi").respond_with_handler(prices)


def install_pihps(server: HTTPServer) -> None:
    grids = load("pihps.json")
    home = (HERE / "pihps_home.html").read_text(encoding="utf-8")

    def home_page(request: Request) -> Response:
        response = Response(home, content_type="text/html; charset=utf-8")
        response.set_cookie(PIHPS_COOKIE, "replay-session")
        return response

    def grid(request: Request) -> Response:
        if (
            PIHPS_COOKIE not in request.cookies
            or request.headers.get("X-Requested-With") != "XMLHttpRequest"
        ):
            return Response(
                "<html><body>403 Forbidden</body></html>", status=403, content_type="text/html"
            )
        key = f"{request.args.get('comcat_id')}|{_month(request.args.get('start_date', ''))}"
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

    server.expect_request("/pihps/WebSite/").respond_with_handler(home_page)
    server.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_handler(
        grid
    )


def install_sp2kp(server: HTTPServer) -> None:
    data = load("sp2kp.json")
    server.expect_request("/sp2kp/master/api/variant").respond_with_json(data["variants"])
    server.expect_request("/sp2kp/master/api/wilayah/kab-kota/15").respond_with_json(
        data["regencies"]
    )

    def prices(request: Request) -> Response:
        form = request.form
        key = f"{form.get('kode_kab_kota')}|{_month(form.get('start_date', ''))}"
        body = data["prices"].get(key, {"message": "success", "data": []})
        start, end = form.get("start_date", ""), form.get("end_date", "")
        wanted = set(form.get("variant_ids", "").split(","))
        rows = [
            {
                "variant_id": item["variant_id"],
                "daftarHarga": [e for e in item["daftarHarga"] if start <= e["tanggal"] <= end],
            }
            for item in body["data"]
            if str(item["variant_id"]) in wanted
        ]
        return _json({"message": "success", "data": rows})

    server.expect_request(
        "/sp2kp/report/api/average-price/export-area-daily-json", method="POST"
    ).respond_with_handler(prices)


def install_fuel(server: HTTPServer) -> None:
    server.expect_request("/fuel/api/prices.json").respond_with_json(load("fuel_prices.json"))


def install_wfp(server: HTTPServer) -> None:
    body = (HERE / "wfp_food_prices_idn.csv").read_bytes()
    server.expect_request("/wfp/wfp_food_prices_idn.csv").respond_with_data(
        body, content_type="text/csv"
    )


def install(server: HTTPServer) -> None:
    """Register every source's recorded responses."""
    install_bapanas(server)
    install_pihps(server)
    install_sp2kp(server)
    install_fuel(server)
    install_wfp(server)
