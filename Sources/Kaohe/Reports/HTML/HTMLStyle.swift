/// The one stylesheet every report page carries inline: a CJK-capable font stack, band colours, tables,
/// charts, and an A4 print layout in which each unit's notice starts a new page.
enum HTMLStyle {
    static let css = """

    :root {
      --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --paper: #ffffff; --wash: #f6f8fa;
      --top: #1a7f37; --top-wash: #dafbe1; --bottom: #cf222e; --bottom-wash: #ffebe9;
      --history: #8250df; --history-wash: #fbefff; --other: #9a6700; --other-wash: #fff8c5;
      --plus: #1a7f37; --minus: #cf222e;
    }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body {
      margin: 0 auto; padding: 24px 32px 48px; max-width: 1080px; color: var(--ink); background: var(--paper);
      font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
        "WenQuanYi Micro Hei", "Noto Sans SC", "Helvetica Neue", Arial, sans-serif;
    }
    h1, h2, h3 { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "Noto Serif SC", serif;
      font-weight: 700; line-height: 1.3; }
    h1 { font-size: 26px; margin: 0 0 6px; }
    h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
    h3 { font-size: 16px; margin: 20px 0 6px; }
    p { margin: 6px 0; }
    a { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--muted); }
    .kicker { color: var(--muted); margin: 0; }
    .meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 10px 0; color: var(--muted); font-size: 13px; }
    .meta dt { font-weight: 700; } .meta dd { margin: 0; }
    .hash { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
    nav.contents { margin: 12px 0; padding: 8px 12px; background: var(--wash); border-radius: 6px; font-size: 14px; }
    nav.contents a { margin-right: 16px; }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
    th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top; }
    th { background: var(--wash); font-weight: 700; white-space: nowrap; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.cite, td.nowrap { white-space: nowrap; } td.title { min-width: 9em; }
    table.rule-stats td.title { width: 36%; }
    td.by-rule { min-width: 18em; }
    td.by-rule div { display: flex; justify-content: space-between; gap: 8px; }
    td.by-rule .delta { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
    .delta.plus { color: var(--plus); } .delta.minus { color: var(--minus); }
    table.ranking { width: auto; min-width: 60%; }
    td.plus { color: var(--plus); } td.minus { color: var(--minus); }
    tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
    tr.band-top td { background: var(--top-wash); }
    tr.band-bottom td { background: var(--bottom-wash); }
    tr.band-history td { background: var(--history-wash); }
    tr.band-left td { background: var(--wash); }
    .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
    .sides > div { padding: 4px 10px; border-radius: 6px; }
    .band { display: inline-block; padding: 0 8px; margin: 1px 4px 1px 0; border-radius: 10px; font-size: 12px;
      line-height: 20px; white-space: nowrap; color: #fff; background: var(--other); }
    .band-top .band, .band.band-top { background: var(--top); }
    .band.band-bottom { background: var(--bottom); }
    .band.band-history { background: var(--history); }
    .band.left { background: #fff; color: var(--muted); border: 1px dashed var(--muted); text-decoration: line-through; }
    .bands-summary { list-style: none; padding: 0; margin: 8px 0; }
    .bands-summary li { margin: 4px 0; }
    .data-warnings { border-left: 4px solid #b45309; background: #fffbeb; padding: 6px 10px 6px 28px; margin: 8px 0; }
    .chart { width: 100%; height: auto; display: block; margin: 8px 0 16px; }
    .chart text { font-family: inherit; fill: var(--ink); }
    .chart .axis, .chart .grid { stroke: var(--rule); }
    .chart .muted { fill: var(--muted); }
    .chart .cutoff { stroke: var(--ink); stroke-dasharray: 5 3; }
    .chart .bar-top { fill: var(--top); } .chart .bar-bottom { fill: var(--bottom); }
    .chart .bar-history { fill: var(--history); } .chart .bar-none { fill: #8c959f; } .chart .bar-other { fill: var(--other); }
    .chart .net { stroke: var(--ink); stroke-width: 2.5; }
    .chart .slope { fill: none; stroke: #afb8c1; stroke-width: 1.2; }
    .chart .slope.entered-top { stroke: var(--top); stroke-width: 2.6; }
    .chart .slope.entered-bottom { stroke: var(--bottom); stroke-width: 2.6; }
    .chart .slope.entered-history { stroke: var(--history); stroke-width: 2.6; }
    .chart .slope.left { stroke-dasharray: 6 3; stroke-width: 2.2; stroke: var(--muted); }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; margin: 4px 0 8px; }
    .legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
    .inline-bar { width: 180px; height: 16px; vertical-align: middle; }
    .inline-bar .axis { stroke: var(--ink); } .inline-bar .grid { stroke: #8c959f; stroke-width: 2; }
    .notice { margin-top: 40px; padding-top: 16px; border-top: 3px double var(--ink); }
    .notice header h2 { border: 0; text-align: center; font-size: 24px; margin: 8px 0; letter-spacing: 4px; }
    .notice .to { font-size: 17px; font-weight: 700; }
    .notice .figure { font-size: 34px; font-weight: 700; margin-right: 6px; }
    .notice .warn { color: var(--bottom); font-weight: 700; }
    .notice .lost { background: var(--wash); padding: 6px 10px; border-left: 4px solid var(--bottom); }
    .notice .detail { font-size: 12px; color: var(--muted); margin: 2px 0 0; }
    .notice footer, .doc-footer { margin-top: 16px; font-size: 12px; color: var(--muted); }
    .old { background: var(--bottom-wash); } .new { background: var(--top-wash); }
    pre.code { margin: 4px 0 0; font-size: 12px; white-space: pre-wrap; }
    pre.code .del { color: var(--minus); } pre.code .ins { color: var(--plus); }
    @page { size: A4; margin: 16mm 14mm;
      @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #59636e; } }
    @media print {
      body { max-width: none; padding: 0; font-size: 10.5pt; }
      nav.contents, .screen-only { display: none; }
      h2 { break-after: avoid; }
      tr, .chart, .bands-summary li { break-inside: avoid; }
      .notice.explained tr { break-inside: auto; }
      .inline-bar { width: 110px; } table.rule-stats th { white-space: normal; } table.rule-stats th.num { min-width: 3.4em; }
      tfoot { display: table-row-group; }
      .notice { break-before: page; page-break-before: always; margin-top: 0; padding-top: 0; border-top: 0; }
      a { border-bottom: 0; }
    }

    """

    /// Rules for groups, vetoes, quota remarks and declared score lines, added only to the pages that use
    /// them (`BulletinPage.awardStyle`), so that the pages of other policies stay byte for byte as they were.
    static let awards = """
    section.group { margin: 8px 0 24px; }
    section.group > h3 { border-left: 4px solid var(--ink); padding-left: 8px; }
    .band-notices { border-left: 4px solid #b45309; background: #fffbeb; padding: 6px 10px 6px 28px; margin: 8px 0; }
    .vetoes { border-left: 4px solid var(--bottom); background: var(--bottom-wash); padding: 6px 10px 6px 28px; margin: 8px 0; }
    .veto-mark { display: inline-block; padding: 0 6px; margin-right: 4px; border: 1px solid var(--bottom); border-radius: 10px;
      color: var(--bottom); font-size: 12px; line-height: 18px; white-space: nowrap; font-weight: 700; }
    tr.vetoed td { background: repeating-linear-gradient(135deg, #fff, #fff 6px, var(--bottom-wash) 6px, var(--bottom-wash) 12px); }
    .notice .veto-line { color: var(--bottom); font-weight: 700; }
    .notice .tie-line { font-size: 13px; color: var(--muted); }
    .chart rect.vetoed { fill-opacity: 0.15; stroke: var(--bottom); stroke-width: 1.5; stroke-dasharray: 4 2; }
    .chart text.veto-mark { fill: var(--bottom); }
    .chart .score-line { stroke: var(--other); stroke-width: 1.5; stroke-dasharray: 2 3; }
    @media print { section.group { break-before: auto; } .vetoes li, .band-notices li { break-inside: avoid; } }

    """
}
