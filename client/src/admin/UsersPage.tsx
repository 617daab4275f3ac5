import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import type { Role, UserListQuery } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { ROLE_LABELS } from '../layout/AppLayout';

const Users = graphql(`
  query UserList($search: String, $departmentId: ID, $active: Boolean, $after: String) {
    users(search: $search, departmentId: $departmentId, active: $active, first: 50, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        id
        username
        displayName
        roles
        active
        locked
        mustChangePassword
        lastLoginAt
        disabledReason
        department {
          id
          shortName
          name
        }
        officer {
          id
          name
          certificateNo
        }
      }
    }
    departments {
      id
      name
    }
  }
`);

const Officers = graphql(`
  query OfficersToLink($departmentId: ID!, $search: String) {
    officers(first: 50, departmentIds: [$departmentId], search: $search) {
      nodes {
        id
        name
        certificateNo
      }
    }
  }
`);

const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      oneTimePassword
      user {
        id
        username
      }
    }
  }
`);

const UpdateUser = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
    }
  }
`);

const DisableUser = graphql(`
  mutation DisableUser($id: ID!, $reason: String!) {
    disableUser(id: $id, reason: $reason) {
      id
      active
    }
  }
`);

const EnableUser = graphql(`
  mutation EnableUser($id: ID!) {
    enableUser(id: $id) {
      id
      active
    }
  }
`);

const ResetPassword = graphql(`
  mutation ResetPassword($id: ID!) {
    resetPassword(id: $id) {
      oneTimePassword
      user {
        id
        username
      }
    }
  }
`);

const SetRoles = graphql(`
  mutation SetRoles($id: ID!, $grant: [Role!]!, $revoke: [Role!]!, $granting: Boolean!, $revoking: Boolean!) {
    grantRoles(id: $id, roles: $grant) @include(if: $granting) {
      id
      roles
    }
    revokeRoles(id: $id, roles: $revoke) @include(if: $revoking) {
      id
      roles
    }
  }
`);

const UnlockUser = graphql(`
  mutation UnlockUser($id: ID!) {
    unlockUser(id: $id) {
      id
      locked
    }
  }
`);

type UserRow = UserListQuery['users']['nodes'][number];
const ALL_ROLES: Role[] = ['STAFF', 'HEAD', 'OFFICER', 'WITNESS', 'OVERSIGHT', 'ADMIN', 'SECURITY_ADMIN', 'AUDITOR'];

/** The one-time password, shown once: to hand to the person, who must change it at first login. */
function IssuedPassword({ issued, onClose }: { issued: { username: string; password: string }; onClose: () => void }) {
  return (
    <Modal open title="一次性密码" onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText="已交给本人">
      <Typography.Paragraph>
        账号 <Typography.Text strong>{issued.username}</Typography.Text> 的一次性密码（只显示这一次；本人登录后须立即修改）：
      </Typography.Paragraph>
      <Typography.Title level={3} copyable code style={{ textAlign: 'center' }}>
        {issued.password}
      </Typography.Title>
    </Modal>
  );
}

/** The account form of the 系统管理员: new account, or name, department and officer link of one. */
function AccountForm({
  user,
  departments,
  onDone,
  onIssued,
}: {
  user: UserRow | null;
  departments: { id: string; name: string }[];
  onDone: () => void;
  onIssued: (issued: { username: string; password: string }) => void;
}) {
  const [form] = Form.useForm<{ username: string; displayName: string; departmentId: string; officerId?: string | null }>();
  const departmentId = Form.useWatch('departmentId', form) ?? user?.department.id;
  const [officerSearch, setOfficerSearch] = useState('');
  const [{ data: officers }] = useQuery({
    query: Officers,
    variables: { departmentId: departmentId ?? '0', search: officerSearch || undefined },
    pause: !departmentId,
  });
  const [creating, create] = useMutation(CreateUser);
  const [updating, update] = useMutation(UpdateUser);
  const error = creating.error ?? updating.error;
  const officerOptions = [
    ...(user?.officer ? [{ value: user.officer.id, label: `${user.officer.name}（${user.officer.certificateNo}）` }] : []),
    ...(officers?.officers.nodes ?? [])
      .filter((o) => o.id !== user?.officer?.id)
      .map((o) => ({ value: o.id, label: `${o.name}（${o.certificateNo}）` })),
  ];
  return (
    <Modal
      open
      title={user ? `修改账号：${user.username}` : '新建账号'}
      okText={user ? '保存' : '创建并签发一次性密码'}
      okButtonProps={{ loading: creating.fetching || updating.fetching }}
      onCancel={onDone}
      onOk={async () => {
        const values = await form.validateFields();
        if (user) {
          const input = { displayName: values.displayName, departmentId: values.departmentId, officerId: values.officerId ?? null };
          if ((await update({ id: user.id, input })).data) onDone();
        } else {
          const result = await create({ input: { ...values, officerId: values.officerId ?? null } });
          if (result.data) {
            onIssued({ username: result.data.createUser.user.username, password: result.data.createUser.oneTimePassword });
            onDone();
          }
        }
      }}
    >
      {!user && <Typography.Paragraph type="secondary">新账号没有角色：创建后由安全管理员授予角色（三员分立）。</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={user ? { displayName: user.displayName, departmentId: user.department.id, officerId: user.officer?.id } : {}}
      >
        {!user && (
          <Form.Item
            name="username"
            label="用户名"
            rules={[{ required: true, message: '请填写用户名' }]}
            extra="小写字母、数字及 . _ -，如 wang.li"
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label="姓名（显示名称）" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="departmentId" label="所属部门" rules={[{ required: true, message: '请选择部门' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={departments.map((d) => ({ value: d.id, label: d.name }))}
            onChange={() => form.setFieldValue('officerId', null)}
          />
        </Form.Item>
        <Form.Item name="officerId" label="对应的执法人员（执法人员本人的账号）">
          <Select
            allowClear
            showSearch
            filterOption={false}
            onSearch={setOfficerSearch}
            options={officerOptions}
            placeholder="按姓名或证号查找"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The roles of an account, set by the 安全管理员: the difference is granted and revoked. */
function RolesForm({ user, onDone }: { user: UserRow; onDone: () => void }) {
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [saving, save] = useMutation(SetRoles);
  const grant = roles.filter((r) => !user.roles.includes(r));
  const revoke = user.roles.filter((r) => !roles.includes(r));
  return (
    <Modal
      open
      title={`角色：${user.displayName}（${user.username}）`}
      okText="保存"
      okButtonProps={{ disabled: grant.length + revoke.length === 0, loading: saving.fetching }}
      onCancel={onDone}
      onOk={async () => {
        const result = await save({ id: user.id, grant, revoke, granting: grant.length > 0, revoking: revoke.length > 0 });
        if (result.data) onDone();
      }}
    >
      <Typography.Paragraph type="secondary">
        三员分立：系统管理员、安全管理员、审计管理员各由不同账号担任，且不兼任业务角色。执法人员角色须先对应执法人员名录中的一人。
      </Typography.Paragraph>
      {saving.error && <Alert type="error" showIcon title={errorText(saving.error)} style={{ marginBottom: 12 }} />}
      <Checkbox.Group value={roles} onChange={(v) => setRoles(v)} options={ALL_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
    </Modal>
  );
}

/** 账号管理: the 系统管理员 creates, edits, disables and resets; the 安全管理员 grants roles and unlocks. */
export function UsersPage() {
  const { session } = useAuth();
  const isAdmin = session?.user.roles.includes('ADMIN') ?? false;
  const isSecurity = session?.user.roles.includes('SECURITY_ADMIN') ?? false;
  const pages = useCursorPages();
  const [filter, setFilter] = useState<{ search?: string; departmentId?: string; active?: boolean }>({});
  const [{ data, fetching, error }, refetch] = useQuery({ query: Users, variables: { ...filter, after: pages.after } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const [rolesOf, setRolesOf] = useState<UserRow | null>(null);
  const [disabling, setDisabling] = useState<UserRow | null>(null);
  const [reason, setReason] = useState('');
  const [issued, setIssued] = useState<{ username: string; password: string } | null>(null);
  const [acted, act] = useMutation(DisableUser);
  const [, enable] = useMutation(EnableUser);
  const [resetting, reset] = useMutation(ResetPassword);
  const [unlocking, unlock] = useMutation(UnlockUser);
  const actionError = acted.error ?? resetting.error ?? unlocking.error;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          账号管理
        </Typography.Title>
        {isAdmin && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建账号
          </Button>
        )}
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder="用户名或姓名"
          style={{ width: 220 }}
          onSearch={(search) => {
            pages.reset();
            setFilter((f) => ({ ...f, search: search || undefined }));
          }}
        />
        <Select
          allowClear
          placeholder="部门"
          style={{ width: 240 }}
          showSearch
          optionFilterProp="label"
          options={data?.departments.map((d) => ({ value: d.id, label: d.name }))}
          onChange={(departmentId?: string) => {
            pages.reset();
            setFilter((f) => ({ ...f, departmentId }));
          }}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          options={[
            { value: 'on', label: '启用' },
            { value: 'off', label: '已停用' },
          ]}
          onChange={(v?: string) => {
            pages.reset();
            setFilter((f) => ({ ...f, active: v === undefined ? undefined : v === 'on' }));
          }}
        />
        <Typography.Text type="secondary">共 {data?.users.totalCount ?? 0} 个账号</Typography.Text>
      </Space>
      {(error ?? actionError) && <Alert type="error" showIcon title={errorText(error ?? actionError)} />}
      <Table<UserRow>
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.users.nodes ?? []}
        pagination={false}
        scroll={{ x: 1100 }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 190 },
          { title: '姓名', dataIndex: 'displayName', width: 180 },
          { title: '部门', key: 'dept', width: 130, render: (_, u) => u.department.shortName },
          {
            title: '角色',
            key: 'roles',
            render: (_, u) =>
              u.roles.length ? (
                u.roles.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>)
              ) : (
                <Typography.Text type="secondary">未授予</Typography.Text>
              ),
          },
          { title: '执法人员', key: 'officer', width: 120, render: (_, u) => u.officer?.name ?? '—' },
          {
            title: '状态',
            key: 'state',
            width: 170,
            render: (_, u) => (
              <Space size={4} wrap>
                {u.active ? <Tag color="green">启用</Tag> : <Tag title={u.disabledReason ?? undefined}>已停用</Tag>}
                {u.locked && <Tag color="red">已锁定</Tag>}
                {u.mustChangePassword && <Tag color="orange">待改密</Tag>}
              </Space>
            ),
          },
          {
            title: '最近登录',
            key: 'login',
            width: 160,
            render: (_, u) => (u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString('zh-CN') : '—'),
          },
          {
            title: '操作',
            key: 'actions',
            width: 230,
            render: (_, u) => (
              <Space size={0} wrap>
                {isAdmin && (
                  <Button size="small" type="link" onClick={() => setEditing(u)}>
                    修改
                  </Button>
                )}
                {isAdmin && u.active && u.id !== session?.user.id && (
                  <Button size="small" type="link" danger onClick={() => setDisabling(u)}>
                    停用
                  </Button>
                )}
                {isAdmin && !u.active && (
                  <Button size="small" type="link" onClick={async () => (await enable({ id: u.id })).data && reload()}>
                    启用
                  </Button>
                )}
                {isAdmin && u.id !== session?.user.id && (
                  <Button
                    size="small"
                    type="link"
                    onClick={async () => {
                      const result = await reset({ id: u.id });
                      if (result.data) setIssued({ username: u.username, password: result.data.resetPassword.oneTimePassword });
                      reload();
                    }}
                  >
                    重置密码
                  </Button>
                )}
                {isSecurity && u.id !== session?.user.id && (
                  <Button size="small" type="link" onClick={() => setRolesOf(u)}>
                    角色
                  </Button>
                )}
                {isSecurity && u.locked && (
                  <Button size="small" type="link" onClick={async () => (await unlock({ id: u.id })).data && reload()}>
                    解锁
                  </Button>
                )}
                {isSecurity && (
                  <Link to={`/admin/sessions?user=${u.id}`} style={{ padding: '0 7px' }}>
                    会话
                  </Link>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CursorPager pages={pages} pageInfo={data?.users.pageInfo} />
      {editing && (
        <AccountForm
          user={editing === 'new' ? null : editing}
          departments={data?.departments ?? []}
          onIssued={setIssued}
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      {rolesOf && (
        <RolesForm
          user={rolesOf}
          onDone={() => {
            setRolesOf(null);
            reload();
          }}
        />
      )}
      {disabling && (
        <Modal
          open
          title={`停用账号：${disabling.displayName}`}
          okText="停用"
          okButtonProps={{ danger: true, disabled: !reason.trim(), loading: acted.fetching }}
          onCancel={() => setDisabling(null)}
          onOk={async () => {
            if ((await act({ id: disabling.id, reason })).data) {
              setDisabling(null);
              setReason('');
              reload();
            }
          }}
        >
          <Typography.Paragraph type="secondary">停用后该账号的所有登录立即失效。</Typography.Paragraph>
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder="停用理由（如调离、离职）"
            aria-label="停用理由"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Modal>
      )}
      {issued && <IssuedPassword issued={issued} onClose={() => setIssued(null)} />}
    </Space>
  );
}
