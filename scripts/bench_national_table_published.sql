-- The national table written by hand on the published (pre-aggregated) tables: the SQL floor
-- of the national page once it reads them (`make bench BENCH_SCALE=national`). Every
-- indicator of the catalogue, one row per region and breakdown, for the latest published year,
-- as already protected by the publishing step (engine: entrepairs/observatory/publishing.py).
SELECT f.area_code, f.area_label, f.indicator, f.breakdown, f.value, f.numerator,
       f.denominator, f.status
FROM observatory_publishedfigure f
WHERE f.level = 'region'
  AND f.period_kind = 'year'
  AND f.period_start = (
      SELECT max(period_start) FROM observatory_publication WHERE period_kind = 'year'
  )
ORDER BY f.indicator, f.area_code, f.breakdown
