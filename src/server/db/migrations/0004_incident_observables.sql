CREATE TABLE "incident_observables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"stix_id" text NOT NULL,
	"object" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_observables" ADD CONSTRAINT "incident_observables_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_observables" ADD CONSTRAINT "incident_observables_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_observables_org_incident_idx" ON "incident_observables" USING btree ("org_id","incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_observables_sco_key" ON "incident_observables" USING btree ("incident_id","stix_id");