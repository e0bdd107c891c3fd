DROP INDEX "stix_objects_search_idx";--> statement-breakpoint
ALTER TABLE "stix_objects" ADD COLUMN "search" "tsvector";--> statement-breakpoint
-- The words of the objects stored before, by the rule of intel.search.ts (NFKC, lower case, runs of letters and
-- digits of at most 256 characters) in SQL; new rows get theirs from the server. NFKC needs a UTF-8 database.
UPDATE "stix_objects" SET "search" = (
  SELECT nullif(array_to_tsvector(coalesce(array_agg(DISTINCT w), '{}')), ''::tsvector)
  FROM regexp_split_to_table(lower(CASE WHEN current_setting('server_encoding') = 'UTF8'
      THEN normalize(coalesce("name", '') || ' ' || coalesce("description", ''), NFKC)
      ELSE coalesce("name", '') || ' ' || coalesce("description", '') END), '[^[:alnum:]]+') AS w
  WHERE w <> '' AND length(w) <= 256)
WHERE "type" NOT IN ('relationship', 'sighting');--> statement-breakpoint
CREATE INDEX "stix_objects_search_idx" ON "stix_objects" USING gin ("search") WHERE "stix_objects"."search" is not null;--> statement-breakpoint
-- Objects are stored uncompressed: pglz found little to take out of jsonb (ATT&CK's objects take 10 % more room
-- this way) and compressing cost about a tenth of loading them (docs/performance.md, seventh round).
ALTER TABLE "stix_objects" ALTER COLUMN "object" SET STORAGE EXTERNAL;
