DROP INDEX "stix_objects_added_idx";--> statement-breakpoint
CREATE INDEX "stix_objects_added_idx" ON "stix_objects" USING btree ("date_added","org_id","stix_id","version");