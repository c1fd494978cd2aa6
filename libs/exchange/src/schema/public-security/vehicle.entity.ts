import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LOADED_AT_COLUMN } from '../columns';

/** 公安 vehicle registrations: one row per owner and plate. */
@Entity({ schema: 'exchange_public_security', name: 'vehicles' })
@Index('vehicles_id_number_idx', ['idNumber'])
export class VehicleEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'vehicles_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  @Column({ type: 'text' })
  plate!: string;

  @Column({ name: 'vehicle_type', type: 'text' })
  vehicleType!: string;

  @Column({ type: 'text' })
  brand!: string;

  @Column({ name: 'first_registration_date', type: 'date' })
  firstRegistrationDate!: string;

  @Column({ name: 'use_type', type: 'text' })
  useType!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
