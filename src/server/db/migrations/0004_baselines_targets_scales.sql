CREATE TABLE "baseline_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"maturity_scale" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "system_id" uuid;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "system_name" text;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "maturity_scale" jsonb;--> statement-breakpoint
ALTER TABLE "baseline_settings" ADD CONSTRAINT "baseline_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE set null ON UPDATE no action;