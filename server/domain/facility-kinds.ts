// Facility kinds (设施类型) of DESIGN.md with their Chinese and English names and capacity units: the one
// list the store, analyses, generator, importers and client share.

export const FACILITY_KINDS = [
  'governance_center',
  'governance_workstation',
  'service_center_county',
  'service_center_street',
  'service_station',
  'health_center',
  'health_station',
  'convenience_store',
  'elder_day_care',
  'after_school_class',
  'disability_room',
  'mediation_room',
  'police_post',
] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** Chinese and English names of each kind, for the UI and exports. */
export const FACILITY_KIND_LABELS: Record<FacilityKind, { zh: string; en: string }> = {
  governance_center: { zh: '综治中心', en: 'Governance centre' },
  governance_workstation: { zh: '综治工作站', en: 'Governance workstation' },
  service_center_county: { zh: '县级综合服务中心', en: 'County service centre' },
  service_center_street: { zh: '街道（乡镇）便民服务中心', en: 'Street service centre' },
  service_station: { zh: '社区综合服务站', en: 'Community service station' },
  health_center: { zh: '社区卫生服务中心', en: 'Community health centre' },
  health_station: { zh: '社区卫生服务站', en: 'Community health station' },
  convenience_store: { zh: '连锁便利店', en: 'Chain convenience store' },
  elder_day_care: { zh: '日间托老所', en: 'Elder day care' },
  after_school_class: { zh: '四点半课堂', en: '4:30 after-school class' },
  disability_room: { zh: '助残活动室', en: 'Disability activity room' },
  mediation_room: { zh: '人民调解室', en: "People's mediation room" },
  police_post: { zh: '警务室', en: 'Police post' },
};


/** What a facility's `capacity` counts, per kind. */
export const CAPACITY_UNITS: Record<FacilityKind, string> = {
  governance_center: 'staff',
  governance_workstation: 'staff',
  service_center_county: 'service windows',
  service_center_street: 'service windows',
  service_station: 'service windows',
  health_center: 'beds',
  health_station: 'daily visits',
  convenience_store: 'daily customers',
  elder_day_care: 'places',
  after_school_class: 'places',
  disability_room: 'places',
  mediation_room: 'mediators',
  police_post: 'officers',
};
