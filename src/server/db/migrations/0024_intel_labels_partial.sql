DROP INDEX "stix_objects_labels_idx";--> statement-breakpoint
CREATE INDEX "stix_objects_labels_idx" ON "stix_objects" USING gin ("labels") WHERE "stix_objects"."labels" <> '{}';