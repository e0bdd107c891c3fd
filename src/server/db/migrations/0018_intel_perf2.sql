DROP INDEX "stix_objects_markings_idx";--> statement-breakpoint
DROP INDEX "stix_objects_search_idx";--> statement-breakpoint
CREATE INDEX "stix_objects_search_idx" ON "stix_objects" USING gin (to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, ''))) WHERE type not in ('relationship', 'sighting');