import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LOADED_AT_COLUMN } from '../columns';

/** 不动产登记: one row per certificate and owner (co-owners each have a row with their share). */
@Entity({ schema: 'exchange_housing', name: 'properties' })
@Index('properties_id_number_idx', ['idNumber', 'registeredAt'])
export class PropertyEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'properties_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  @Column({ name: 'certificate_no', type: 'text' })
  certificateNo!: string;

  @Column({ type: 'text' })
  address!: string;

  @Column({ name: 'property_use', type: 'text' })
  use!: string;

  /** Hundredths of a square metre (89.5 m2 = 8950). */
  @Column({ name: 'floor_area_centi_m2', type: 'integer' })
  floorAreaCentiM2!: number;

  /** Basis points (100% = 10000). */
  @Column({ name: 'share_basis_points', type: 'integer' })
  shareBasisPoints!: number;

  @Column({ name: 'registered_at', type: 'date' })
  registeredAt!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
