CREATE TABLE "community_members" (
	"org_id" uuid NOT NULL,
	"member_org_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_members_org_id_member_org_id_pk" PRIMARY KEY("org_id","member_org_id")
);
--> statement-breakpoint
CREATE TABLE "stix_objects" (
	"org_id" uuid NOT NULL,
	"stix_id" text NOT NULL,
	"version" text NOT NULL,
	"type" text NOT NULL,
	"spec_version" text,
	"modified" timestamp (6) with time zone,
	"created_by_ref" text,
	"tlp" text NOT NULL,
	"marking_refs" text[] DEFAULT '{}' NOT NULL,
	"labels" text[] DEFAULT '{}' NOT NULL,
	"name" text,
	"description" text,
	"source_ref" text,
	"target_ref" text,
	"revoked" boolean DEFAULT false NOT NULL,
	"is_latest" boolean DEFAULT true NOT NULL,
	"object" jsonb NOT NULL,
	"date_added" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stix_objects_org_id_stix_id_version_pk" PRIMARY KEY("org_id","stix_id","version")
);
--> statement-breakpoint
CREATE TABLE "stix_shares" (
	"org_id" uuid NOT NULL,
	"stix_id" text NOT NULL,
	"target_org_id" uuid NOT NULL,
	"shared_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stix_shares_org_id_stix_id_target_org_id_pk" PRIMARY KEY("org_id","stix_id","target_org_id")
);
--> statement-breakpoint
CREATE TABLE "taxii_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"api_root" text NOT NULL,
	"collection_id" text NOT NULL,
	"token" text,
	"added_after" text,
	"last_run_at" timestamp with time zone,
	"last_status" text,
	"last_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taxii_statuses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_member_org_id_organizations_id_fk" FOREIGN KEY ("member_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stix_objects" ADD CONSTRAINT "stix_objects_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stix_shares" ADD CONSTRAINT "stix_shares_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stix_shares" ADD CONSTRAINT "stix_shares_target_org_id_organizations_id_fk" FOREIGN KEY ("target_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxii_feeds" ADD CONSTRAINT "taxii_feeds_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxii_statuses" ADD CONSTRAINT "taxii_statuses_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_members_member_idx" ON "community_members" USING btree ("member_org_id");--> statement-breakpoint
CREATE INDEX "stix_objects_type_idx" ON "stix_objects" USING btree ("org_id","type","is_latest");--> statement-breakpoint
CREATE INDEX "stix_objects_id_idx" ON "stix_objects" USING btree ("stix_id");--> statement-breakpoint
CREATE INDEX "stix_objects_creator_idx" ON "stix_objects" USING btree ("org_id","created_by_ref");--> statement-breakpoint
CREATE INDEX "stix_objects_tlp_idx" ON "stix_objects" USING btree ("tlp","is_latest");--> statement-breakpoint
CREATE INDEX "stix_objects_added_idx" ON "stix_objects" USING btree ("org_id","date_added");--> statement-breakpoint
CREATE INDEX "stix_objects_markings_idx" ON "stix_objects" USING gin ("marking_refs");--> statement-breakpoint
CREATE INDEX "stix_objects_labels_idx" ON "stix_objects" USING gin ("labels");--> statement-breakpoint
CREATE INDEX "stix_objects_search_idx" ON "stix_objects" USING gin (to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, '')));--> statement-breakpoint
CREATE INDEX "stix_objects_source_idx" ON "stix_objects" USING btree ("source_ref");--> statement-breakpoint
CREATE INDEX "stix_objects_target_idx" ON "stix_objects" USING btree ("target_ref");--> statement-breakpoint
CREATE INDEX "stix_shares_target_idx" ON "stix_shares" USING btree ("target_org_id");--> statement-breakpoint
CREATE INDEX "taxii_feeds_org_idx" ON "taxii_feeds" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "taxii_statuses_org_idx" ON "taxii_statuses" USING btree ("org_id","created_at");