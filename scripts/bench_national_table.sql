-- The national table written by hand on the raw tables: the SQL floor of the national page
-- in `make bench BENCH_SCALE=national` when the published (pre-aggregated) tables are absent.
-- Same figures as the page (entrepairs/observatory/dashboards.py): per region, peers in post
-- (where they work: host organisation, else employer), encounters held over the twelve months
-- and distinct persons met, per region × setting, per region, per setting and in all.
WITH peers AS (
    SELECT o.region_id, count(*) AS peers_in_post
    FROM workforce_peerworker w
    JOIN territory_organisation o ON o.id = COALESCE(w.host_organisation_id, w.employer_id)
    WHERE w.status = 'in_post'
    GROUP BY o.region_id
), met AS (
    SELECT o.region_id, a.setting, count(*) AS encounters, count(DISTINCT a.person_id) AS persons
    FROM accompaniment_encounter e
    JOIN accompaniment_accompaniment a ON a.id = e.accompaniment_id
    JOIN territory_organisation o ON o.id = e.organisation_id
    WHERE e.outcome = 'held' AND e.date BETWEEN %(start)s AND %(end)s
    GROUP BY GROUPING SETS ((o.region_id, a.setting), (o.region_id), (a.setting), ())
)
SELECT r.code, r.name, p.peers_in_post, m.setting, m.encounters, m.persons
FROM met m
LEFT JOIN territory_region r ON r.id = m.region_id
LEFT JOIN peers p ON p.region_id = m.region_id
ORDER BY r.code NULLS LAST, m.setting NULLS FIRST
