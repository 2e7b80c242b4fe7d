"""The reports page (every report of a year or quarter, with charts), its workbook, and the
yearly report (年度工作报告) to print or download as a PDF, always in Chinese."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from advisers import queries as panel_queries
from cases.policy import FOLLOW_UPS
from core import pdf, tables
from core.i18n import today
from core.policy import can, requires
from core.settings import office_names
from evaluation import queries as evaluation_queries
from reports import cases as case_queries
from reports import consultations as consultation_queries
from reports import exports, overview, svg
from reports import leader as leading
from reports.policy import OVERVIEW
from reports.views import bp, period_arguments, series_labels

#: the yearly report is written for the district's leaders, in Chinese
REPORT_LOCALE = "zh_Hans_CN"


def _read(every_adviser: bool) -> overview.Overview:
    year, quarter = period_arguments()
    return overview.overview(year, quarter, today(), every_adviser=every_adviser)


def chart_data(report: overview.Overview) -> dict:
    """The charts, each the figures of a table beside it, under names of their own."""
    consultations = report.consultations.chart_data(series_labels())
    cases = report.cases.chart_data()
    return {
        **report.panel.chart_data(),
        "attendanceByMeeting": report.attendance.chart_data()["byMeeting"],
        "consultationsByKind": consultations["byKind"],
        "adoptionByDepartment": consultations["adoptionByDepartment"],
        "casesByKind": cases["byKind"],
        "principalByDepartment": cases["principalByDepartment"],
    }


def _stem(report: overview.Overview) -> str:
    return f"{report.year}{f'-q{report.quarter}' if report.quarter else ''}"


@bp.route("/reports")
@requires(OVERVIEW)
def index():
    report = _read(every_adviser=False)
    return render_template(
        "reports/index.html",
        report=report,
        year=report.year,
        quarter=report.quarter,
        charts=chart_data(report),
        sections=exports.sections(report),
        figures=overview.key_figures(report),
        pdf_ready=pdf.pdf_available(),
    )


@bp.route("/reports.xlsx")
@requires(OVERVIEW)
def index_export():
    """Every table of the reports page, a sheet each."""
    report = _read(every_adviser=True)
    workbook = tables.to_xlsx(*exports.overview_tables(report))
    return tables.xlsx_response(workbook, f"reports-{_stem(report)}")


def _document(report: overview.Overview, for_pdf: bool) -> str:
    """The report's sheet in Chinese: the cover, the contents, each table and its chart."""
    with force_locale(REPORT_LOCALE):
        return render_template(
            "reports/yearly_document.html",
            report=report,
            sections=exports.sections(report),
            figures=overview.key_figures(report),
            charts=chart_data(report),
            bar_chart=svg.bar_chart,
            report_css=pdf.sheet_css() if for_pdf else "",
            office=office_names(),
            made_on=today(),
            for_pdf=for_pdf,
        )


@bp.route("/reports/yearly")
@requires(OVERVIEW)
def yearly():
    report = _read(every_adviser=True)
    return render_template(
        "reports/yearly.html",
        report=report,
        sheet=Markup(_document(report, for_pdf=False)),  # rendered by our own template
        pdf_ready=pdf.pdf_available(),
    )


@bp.route("/reports/yearly.pdf")
@requires(OVERVIEW)
def yearly_pdf():
    report = _read(every_adviser=True)
    if not pdf.pdf_available():
        print_url = url_for("reports.yearly", year=report.year, quarter=report.quarter)
        return pdf.back_to_print(print_url)
    return pdf.pdf_response(
        _document(report, for_pdf=True),
        request.url_root,
        f"yearly-report-{_stem(report)}.pdf",
    )


@bp.route("/leader")
@requires(OVERVIEW)
def leader():
    day = today()
    current, previous = leading.leader_overviews(day)
    return render_template(
        "reports/leader.html",
        day=day,
        year=day.year,
        trends=leading.trends(current, previous),
        summary=panel_queries.panel_summary(day),
        lawsuits=case_queries.lawsuits_card(current_user, day, can(current_user, FOLLOW_UPS)),
        matters=consultation_queries.matter_counts(day),
        open_candidates=evaluation_queries.open_candidate_count(),
    )
