CREATE TABLE "baseline_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"source_document_id" uuid NOT NULL,
	"target_document_id" uuid NOT NULL,
	"source_id" text NOT NULL,
	"target_id" text NOT NULL,
	"relationship" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "baseline_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"maturity_scale" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "system_id" uuid;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "system_name" text;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "maturity_scale" jsonb;--> statement-breakpoint
ALTER TABLE "baseline_mappings" ADD CONSTRAINT "baseline_mappings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_mappings" ADD CONSTRAINT "baseline_mappings_source_document_id_baseline_documents_id_fk" FOREIGN KEY ("source_document_id") REFERENCES "public"."baseline_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_mappings" ADD CONSTRAINT "baseline_mappings_target_document_id_baseline_documents_id_fk" FOREIGN KEY ("target_document_id") REFERENCES "public"."baseline_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_settings" ADD CONSTRAINT "baseline_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "baseline_mappings_key" ON "baseline_mappings" USING btree ("source_document_id","target_document_id","source_id","target_id");--> statement-breakpoint
CREATE INDEX "baseline_mappings_org_idx" ON "baseline_mappings" USING btree ("org_id","source_document_id","target_document_id");--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE set null ON UPDATE no action;