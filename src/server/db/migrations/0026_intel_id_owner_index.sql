DROP INDEX "stix_objects_id_idx";--> statement-breakpoint
CREATE INDEX "stix_objects_id_idx" ON "stix_objects" USING btree ("stix_id","org_id");