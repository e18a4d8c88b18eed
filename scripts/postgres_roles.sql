-- Droits du rôle de l'application sur la base d'Entre Pairs (PostgreSQL 15).
--
-- À lancer par le rôle propriétaire des tables (celui qui lance les migrations), après chaque
-- `manage.py migrate`, en une transaction :
--
--     psql "$OWNER_DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1 \
--          -v app_role=entrepairs_app -f scripts/postgres_roles.sql
--
-- Le rôle de l'application lit et écrit toutes les tables, sauf le journal des accès
-- (core_accessevent, core_accesseventrecord), qu'il peut seulement lire et compléter : ni
-- UPDATE, ni DELETE, ni TRUNCATE. Il n'est propriétaire de rien : il ne peut ni désactiver ni
-- supprimer les triggers, ni remettre en arrière les séquences (pas de droit UPDATE dessus).
-- tests/core/test_audit_roles.py applique ce fichier tel quel et vérifie chacun de ces refus.

GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
REVOKE ALL ON core_accessevent, core_accesseventrecord FROM PUBLIC, :"app_role";
GRANT SELECT, INSERT ON core_accessevent, core_accesseventrecord TO :"app_role";
