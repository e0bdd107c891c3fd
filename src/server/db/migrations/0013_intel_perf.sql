DROP INDEX "stix_objects_creator_idx";--> statement-breakpoint
DROP INDEX "stix_objects_added_idx";--> statement-breakpoint
DROP INDEX "stix_objects_source_idx";--> statement-breakpoint
DROP INDEX "stix_objects_target_idx";--> statement-breakpoint
CREATE INDEX "stix_objects_creator_idx" ON "stix_objects" USING btree ("org_id","created_by_ref") WHERE "stix_objects"."created_by_ref" is not null;--> statement-breakpoint
CREATE INDEX "stix_objects_added_idx" ON "stix_objects" USING btree ("date_added","org_id","stix_id","version");--> statement-breakpoint
CREATE INDEX "stix_objects_source_idx" ON "stix_objects" USING btree ("source_ref") WHERE "stix_objects"."source_ref" is not null;--> statement-breakpoint
CREATE INDEX "stix_objects_target_idx" ON "stix_objects" USING btree ("target_ref") WHERE "stix_objects"."target_ref" is not null;