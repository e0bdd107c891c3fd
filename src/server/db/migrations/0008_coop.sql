CREATE TABLE "partner_agreement_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"title" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cooperation_activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"community_org_id" uuid,
	"outcomes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cooperation_activities_dates_check" CHECK ("cooperation_activities"."ends_on" is null or "cooperation_activities"."ends_on" >= "cooperation_activities"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "cooperation_activity_partners" (
	"activity_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	CONSTRAINT "cooperation_activity_partners_activity_id_partner_id_pk" PRIMARY KEY("activity_id","partner_id")
);
--> statement-breakpoint
ALTER TABLE "partner_agreement_documents" ADD CONSTRAINT "partner_agreement_documents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_agreement_documents" ADD CONSTRAINT "partner_agreement_documents_agreement_id_partner_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."partner_agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_activities" ADD CONSTRAINT "cooperation_activities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_activities" ADD CONSTRAINT "cooperation_activities_community_org_id_organizations_id_fk" FOREIGN KEY ("community_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_activity_partners" ADD CONSTRAINT "cooperation_activity_partners_activity_id_cooperation_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."cooperation_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_activity_partners" ADD CONSTRAINT "cooperation_activity_partners_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_activity_partners" ADD CONSTRAINT "cooperation_activity_partners_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_agreement_documents_org_idx" ON "partner_agreement_documents" USING btree ("org_id","agreement_id");--> statement-breakpoint
CREATE INDEX "cooperation_activities_org_idx" ON "cooperation_activities" USING btree ("org_id","starts_on");--> statement-breakpoint
CREATE INDEX "cooperation_activity_partners_partner_idx" ON "cooperation_activity_partners" USING btree ("partner_id");