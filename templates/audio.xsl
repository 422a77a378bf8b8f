<?xml version="1.0" encoding="UTF-8"?>
<!-- The audio library (流程管理 > 音频, fcgi-app/audio/): the list (search,
     sort, pages, a player per file), the upload page (a WAV file, or a
     prompt spoken from text) and one file's page (player, format, users,
     download of the original, rename and description, delete). Everything
     comes from /page/audio (audio/doc.c, list.c); audio.js asks before a
     delete and checks a file's size before it is sent. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:choose>
      <xsl:when test="audio/@view = 'new'"><xsl:value-of select="i:t('audio.upload')"/></xsl:when>
      <xsl:when test="audio/@view = 'item'"><xsl:value-of select="audio/file/@name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="i:t('audio.title')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/audio.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <div class="console" id="audio" data-view="{audio/@view}" data-max-bytes="{audio/@max-bytes}">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <xsl:choose>
          <xsl:when test="audio/@view = 'new'"><xsl:apply-templates select="audio" mode="new"/></xsl:when>
          <xsl:when test="audio/@view = 'item'"><xsl:apply-templates select="audio" mode="item"/></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="audio" mode="list"/></xsl:otherwise>
        </xsl:choose>
      </div>
    </div>
  </xsl:template>

  <!-- ==== the list ======================================================= -->
  <xsl:template match="audio" mode="list">
    <div class="page-head">
      <h1 id="audio-heading"><xsl:value-of select="i:t('audio.title')"/></h1>
      <a class="btn btn-primary" id="audio-upload" href="{@base}/new"><xsl:value-of select="i:t('audio.upload')"/></a>
    </div>
    <xsl:for-each select="notice">
      <div id="audio-notice" role="status" data-done="{@done}" data-pending="{@pending}">
        <xsl:attribute name="class">
          <xsl:choose>
            <xsl:when test="@pending">banner banner-warn</xsl:when>
            <xsl:otherwise>banner banner-ok</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:value-of select="i:t(concat('audio.done.', @done))"/>
        <xsl:if test="@pending">
          <xsl:text> </xsl:text>
          <xsl:value-of select="i:t('audio.reload_pending')"/>
        </xsl:if>
      </div>
    </xsl:for-each>
    <section class="panel">
      <form method="get" action="{@base}" class="res-search" id="audio-search" role="search">
        <input type="search" name="q" id="audio-q" maxlength="64" value="{search/@q}"
               placeholder="{i:t('audio.search_placeholder')}" aria-label="{i:t('audio.search')}"/>
        <input type="hidden" name="sort" value="{search/@sort}"/>
        <input type="hidden" name="dir" value="{search/@dir}"/>
        <button type="submit" class="btn" id="audio-search-btn"><xsl:value-of select="i:t('audio.search')"/></button>
        <xsl:if test="string(search/@q)">
          <a class="btn btn-quiet" id="audio-clear" href="{@base}"><xsl:value-of select="i:t('audio.clear')"/></a>
        </xsl:if>
      </form>
      <table class="table" id="audio-list">
        <thead><tr>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'name'"/></xsl:call-template>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'kind'"/></xsl:call-template>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'duration'"/></xsl:call-template>
          <th data-col="format"><xsl:value-of select="i:t('audio.col.format')"/></th>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'size'"/></xsl:call-template>
          <th data-col="uploaded_by"><xsl:value-of select="i:t('audio.col.uploaded_by')"/></th>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'uploaded'"/></xsl:call-template>
          <th data-col="users"><xsl:value-of select="i:t('audio.col.users')"/></th>
          <th data-col="play"><xsl:value-of select="i:t('audio.col.play')"/></th>
          <th class="actions"><xsl:value-of select="i:t('audio.actions')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="files/file">
            <tr data-id="{@id}" data-file="{@filename}">
              <td data-col="name" data-value="{@name}">
                <a href="{@href}" class="audio-name"><xsl:value-of select="@name"/></a>
                <xsl:if test="string(@description)">
                  <div class="muted audio-desc"><xsl:value-of select="@description"/></div>
                </xsl:if>
              </td>
              <td data-col="kind" data-value="{@kind}"><xsl:value-of select="i:t(concat('audio.kind.', @kind))"/></td>
              <td data-col="duration" data-value="{@duration_ms}"><xsl:call-template name="ms"><xsl:with-param name="ms" select="@duration_ms"/></xsl:call-template></td>
              <td data-col="format" data-value="{@codec}"><xsl:call-template name="format"/></td>
              <td data-col="size" data-value="{@original_size}"><xsl:call-template name="bytes"><xsl:with-param name="n" select="@original_size"/></xsl:call-template></td>
              <td data-col="uploaded_by" data-value="{@uploaded_by}">
                <xsl:choose>
                  <xsl:when test="string(@uploaded_by)"><xsl:value-of select="@uploaded_by"/></xsl:when>
                  <xsl:otherwise><span class="muted"><xsl:value-of select="i:t(concat('audio.source.', @source))"/></span></xsl:otherwise>
                </xsl:choose>
              </td>
              <td data-col="uploaded" data-value="{@created_at}"><xsl:value-of select="substring(@created_at, 1, 16)"/></td>
              <td data-col="users" data-value="{@users}"><xsl:call-template name="users-inline"/></td>
              <td data-col="play"><audio controls="controls" preload="none" class="audio-play" src="{@play}"></audio></td>
              <td class="actions">
                <a class="btn btn-quiet btn-sm audio-edit" href="{@href}"><xsl:value-of select="i:t('audio.edit')"/></a>
                <form method="post" action="{@delete}" class="audio-delete" data-confirm="{i:t('audio.confirm_delete')}">
                  <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
                  <button type="submit" class="btn btn-warn btn-sm"><xsl:value-of select="i:t('audio.delete')"/></button>
                </form>
              </td>
            </tr>
          </xsl:for-each>
          <xsl:if test="not(files/file)">
            <tr class="empty"><td colspan="10">
              <xsl:choose>
                <xsl:when test="string(search/@q)"><xsl:value-of select="i:t('audio.no_match')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="i:t('audio.empty')"/></xsl:otherwise>
              </xsl:choose>
            </td></tr>
          </xsl:if>
        </tbody>
      </table>
      <nav class="pager" id="audio-pages" aria-label="{i:t('audio.pages')}" data-total="{files/@total}"
           data-page="{files/@page}" data-pages="{files/@pages}">
        <span class="pager-info" id="audio-total">
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('audio.total')"/>
            <xsl:with-param name="value" select="files/@total"/>
          </xsl:call-template>
        </span>
        <xsl:if test="pager/@prev">
          <a class="btn btn-quiet btn-sm" id="audio-prev" rel="prev" href="{pager/@prev}"><xsl:value-of select="i:t('audio.prev')"/></a>
        </xsl:if>
        <xsl:for-each select="pager/page | pager/gap">
          <xsl:choose>
            <xsl:when test="self::gap"><span class="pager-gap">…</span></xsl:when>
            <xsl:when test="@current"><span class="pager-page current" aria-current="page" data-page="{@n}"><xsl:value-of select="@n"/></span></xsl:when>
            <xsl:otherwise><a class="pager-page" href="{@href}" data-page="{@n}"><xsl:value-of select="@n"/></a></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:if test="pager/@next">
          <a class="btn btn-quiet btn-sm" id="audio-next" rel="next" href="{pager/@next}"><xsl:value-of select="i:t('audio.next')"/></a>
        </xsl:if>
      </nav>
    </section>
  </xsl:template>

  <xsl:template name="sort-th">
    <xsl:param name="name"/>
    <xsl:variable name="s" select="/page/audio/sorts/sort[@name = $name]"/>
    <th data-col="{$name}">
      <xsl:if test="$s/@sorted">
        <xsl:attribute name="aria-sort">
          <xsl:choose>
            <xsl:when test="$s/@sorted = 'desc'">descending</xsl:when>
            <xsl:otherwise>ascending</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
      </xsl:if>
      <a href="{$s/@href}" id="sort-{$name}" class="sort">
        <xsl:if test="$s/@sorted"><xsl:attribute name="class">sort sort-<xsl:value-of select="$s/@sorted"/></xsl:attribute></xsl:if>
        <xsl:value-of select="i:t(concat('audio.col.', $name))"/>
      </a>
    </th>
  </xsl:template>

  <xsl:template name="users-inline">
    <xsl:choose>
      <xsl:when test="user">
        <ul class="audio-users">
          <xsl:for-each select="user">
            <li data-table="{@table}" data-key="{@key}">
              <span class="muted"><xsl:value-of select="i:t(@what)"/></span>
              <xsl:text> </xsl:text>
              <xsl:value-of select="."/>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:when>
      <xsl:otherwise><span class="muted"><xsl:value-of select="i:t('audio.unused')"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ==== upload ========================================================== -->
  <xsl:template match="audio" mode="new">
    <div class="page-head">
      <h1 id="audio-heading"><xsl:value-of select="i:t('audio.upload')"/></h1>
      <a class="btn btn-quiet" id="audio-back" href="{@base}"><xsl:value-of select="i:t('audio.back')"/></a>
    </div>
    <xsl:variable name="up" select="upload"/>
    <xsl:if test="$up/@banner">
      <div class="alert alert-error" id="audio-error" role="alert" data-reason="{$up/@banner}">
        <xsl:value-of select="i:t($up/@banner)"/>
      </div>
    </xsl:if>
    <section class="panel">
      <h2><xsl:value-of select="i:t('audio.upload_file')"/></h2>
      <form method="post" action="{@base}/new" id="audio-upload-form" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
        <div class="form-grid">
          <xsl:call-template name="field">
            <xsl:with-param name="f" select="$up/field[@name = 'file']"/>
            <xsl:with-param name="id" select="'f-file'"/>
            <xsl:with-param name="err" select="'err-file'"/>
            <xsl:with-param name="label" select="'audio.f.file'"/>
            <xsl:with-param name="hint" select="'audio.f.file_hint'"/>
            <xsl:with-param name="type" select="'file'"/>
            <xsl:with-param name="required" select="true()"/>
          </xsl:call-template>
          <xsl:call-template name="common-fields">
            <xsl:with-param name="form" select="$up"/>
            <xsl:with-param name="p" select="'f-'"/>
            <xsl:with-param name="e" select="'err-'"/>
            <xsl:with-param name="name_hint" select="'audio.f.name_hint'"/>
            <xsl:with-param name="name_required" select="false()"/>
          </xsl:call-template>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="audio-submit"><xsl:value-of select="i:t('audio.do_upload')"/></button>
          <a class="btn btn-quiet" id="audio-cancel" href="{@base}"><xsl:value-of select="i:t('audio.cancel')"/></a>
        </div>
      </form>
    </section>

    <xsl:variable name="tts" select="tts"/>
    <xsl:if test="$tts/@banner">
      <div class="alert alert-error" id="tts-error" role="alert" data-reason="{$tts/@banner}">
        <xsl:value-of select="i:t($tts/@banner)"/>
      </div>
    </xsl:if>
    <section class="panel">
      <h2><xsl:value-of select="i:t('audio.tts')"/></h2>
      <form method="post" action="{@base}/tts" id="audio-tts-form">
        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
        <div class="form-grid">
          <div class="field" data-col="tts_text">
            <label for="t-tts_text"><xsl:value-of select="i:t('audio.f.tts_text')"/><span class="req" aria-hidden="true">*</span></label>
            <textarea id="t-tts_text" name="tts_text" maxlength="500" rows="3" required="required"><xsl:value-of select="$tts/field[@name = 'tts_text']/@value"/></textarea>
            <div class="field-error" id="terr-tts_text"><xsl:value-of select="$tts/field[@name = 'tts_text']/@error"/></div>
          </div>
          <div class="field" data-col="tts_voice">
            <label for="t-tts_voice"><xsl:value-of select="i:t('audio.f.tts_voice')"/></label>
            <xsl:variable name="v" select="string($tts/field[@name = 'tts_voice']/@value)"/>
            <select id="t-tts_voice" name="tts_voice">
              <option value="cmn"><xsl:if test="$v = 'cmn'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i:t('audio.voice.cmn')"/></option>
              <option value="en"><xsl:if test="$v = 'en'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i:t('audio.voice.en')"/></option>
            </select>
            <div class="field-error" id="terr-tts_voice"><xsl:value-of select="$tts/field[@name = 'tts_voice']/@error"/></div>
          </div>
          <xsl:call-template name="common-fields">
            <xsl:with-param name="form" select="$tts"/>
            <xsl:with-param name="p" select="'t-'"/>
            <xsl:with-param name="e" select="'terr-'"/>
            <xsl:with-param name="name_hint" select="'audio.f.tts_name_hint'"/>
            <xsl:with-param name="name_required" select="false()"/>
          </xsl:call-template>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="tts-submit"><xsl:value-of select="i:t('audio.do_tts')"/></button>
        </div>
      </form>
    </section>
  </xsl:template>

  <!-- name, description, kind of a form (upload, tts, edit). -->
  <xsl:template name="common-fields">
    <xsl:param name="form"/>
    <xsl:param name="p"/>
    <xsl:param name="e"/>
    <xsl:param name="name_hint"/>
    <xsl:param name="name_required"/>
    <xsl:call-template name="field">
      <xsl:with-param name="f" select="$form/field[@name = 'name']"/>
      <xsl:with-param name="id" select="concat($p, 'name')"/>
      <xsl:with-param name="err" select="concat($e, 'name')"/>
      <xsl:with-param name="label" select="'audio.f.name'"/>
      <xsl:with-param name="hint" select="$name_hint"/>
      <xsl:with-param name="max" select="64"/>
      <xsl:with-param name="required" select="$name_required"/>
    </xsl:call-template>
    <xsl:call-template name="field">
      <xsl:with-param name="f" select="$form/field[@name = 'description']"/>
      <xsl:with-param name="id" select="concat($p, 'description')"/>
      <xsl:with-param name="err" select="concat($e, 'description')"/>
      <xsl:with-param name="label" select="'audio.f.description'"/>
      <xsl:with-param name="max" select="255"/>
    </xsl:call-template>
    <xsl:variable name="k" select="$form/field[@name = 'kind']"/>
    <div class="field" data-col="kind">
      <label for="{$p}kind"><xsl:value-of select="i:t('audio.f.kind')"/></label>
      <select id="{$p}kind" name="kind">
        <option value="prompt"><xsl:if test="$k/@value = 'prompt'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i:t('audio.kind.prompt')"/></option>
        <option value="music"><xsl:if test="$k/@value = 'music'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i:t('audio.kind.music')"/></option>
      </select>
      <div class="field-error" id="{$e}kind"><xsl:value-of select="$k/@error"/></div>
    </div>
  </xsl:template>

  <xsl:template name="field">
    <xsl:param name="f"/>
    <xsl:param name="id"/>
    <xsl:param name="err"/>
    <xsl:param name="label"/>
    <xsl:param name="hint"/>
    <xsl:param name="type" select="'text'"/>
    <xsl:param name="max"/>
    <xsl:param name="required" select="false()"/>
    <div class="field" data-col="{$f/@name}">
      <xsl:if test="$f/@error"><xsl:attribute name="class">field has-error</xsl:attribute></xsl:if>
      <label for="{$id}">
        <xsl:value-of select="i:t($label)"/>
        <xsl:if test="$required"><span class="req" aria-hidden="true">*</span></xsl:if>
      </label>
      <xsl:choose>
        <xsl:when test="$type = 'file'">
          <input type="file" id="{$id}" name="{$f/@name}" accept=".wav,audio/wav,audio/x-wav">
            <xsl:if test="$required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
          </input>
        </xsl:when>
        <xsl:otherwise>
          <input type="text" id="{$id}" name="{$f/@name}" value="{$f/@value}" maxlength="{$max}">
            <xsl:if test="$required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
          </input>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="string($hint)"><div class="field-hint"><xsl:value-of select="i:t($hint)"/></div></xsl:if>
      <div class="field-error" id="{$err}"><xsl:value-of select="$f/@error"/></div>
    </div>
  </xsl:template>

  <!-- ==== one file ======================================================== -->
  <xsl:template match="audio" mode="item">
    <xsl:variable name="f" select="file"/>
    <div class="page-head">
      <h1 id="audio-heading"><xsl:value-of select="$f/@name"/></h1>
      <a class="btn btn-quiet" id="audio-back" href="{@base}"><xsl:value-of select="i:t('audio.back')"/></a>
    </div>
    <xsl:if test="refused">
      <div class="alert alert-error" id="audio-refused" role="alert" data-reason="{refused/@reason}">
        <xsl:value-of select="i:t('audio.in_use')"/>
        <ul id="audio-refused-users">
          <xsl:for-each select="$f/user">
            <li data-table="{@table}" data-key="{@key}">
              <xsl:value-of select="i:t(@what)"/><xsl:text>：</xsl:text>
              <xsl:choose>
                <xsl:when test="@href"><a href="{@href}"><xsl:value-of select="."/></a></xsl:when>
                <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
    <xsl:if test="edit/@banner">
      <div class="alert alert-error" id="audio-error" role="alert" data-reason="{edit/@banner}">
        <xsl:value-of select="i:t(edit/@banner)"/>
      </div>
    </xsl:if>
    <section class="panel">
      <audio controls="controls" preload="metadata" id="audio-player" src="{$f/@play}"></audio>
      <dl class="facts" id="audio-facts" data-id="{$f/@id}" data-file="{$f/@filename}">
        <dt><xsl:value-of select="i:t('audio.col.kind')"/></dt>
        <dd data-col="kind"><xsl:value-of select="i:t(concat('audio.kind.', $f/@kind))"/></dd>
        <dt><xsl:value-of select="i:t('audio.col.duration')"/></dt>
        <dd data-col="duration"><xsl:call-template name="ms"><xsl:with-param name="ms" select="$f/@duration_ms"/></xsl:call-template></dd>
        <dt><xsl:value-of select="i:t('audio.col.format')"/></dt>
        <dd data-col="format"><xsl:for-each select="$f"><xsl:call-template name="format"/></xsl:for-each></dd>
        <dt><xsl:value-of select="i:t('audio.col.size')"/></dt>
        <dd data-col="size"><xsl:call-template name="bytes"><xsl:with-param name="n" select="$f/@original_size"/></xsl:call-template></dd>
        <xsl:if test="string($f/@original_name)">
          <dt><xsl:value-of select="i:t('audio.col.original_name')"/></dt>
          <dd data-col="original_name"><xsl:value-of select="$f/@original_name"/></dd>
        </xsl:if>
        <xsl:if test="string($f/@tts_text)">
          <dt><xsl:value-of select="i:t('audio.f.tts_text')"/></dt>
          <dd data-col="tts_text"><xsl:value-of select="$f/@tts_text"/></dd>
        </xsl:if>
        <dt><xsl:value-of select="i:t('audio.col.uploaded_by')"/></dt>
        <dd data-col="uploaded_by">
          <xsl:choose>
            <xsl:when test="string($f/@uploaded_by)"><xsl:value-of select="$f/@uploaded_by"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="i:t(concat('audio.source.', $f/@source))"/></xsl:otherwise>
          </xsl:choose>
          <xsl:text> · </xsl:text>
          <xsl:value-of select="substring($f/@created_at, 1, 16)"/>
        </dd>
        <dt><xsl:value-of select="i:t('audio.col.users')"/></dt>
        <dd data-col="users"><xsl:for-each select="$f"><xsl:call-template name="users-inline"/></xsl:for-each></dd>
      </dl>
      <a class="btn" id="audio-download" href="{$f/@download}" download="">
        <xsl:if test="not($f/@download)"><xsl:attribute name="href"><xsl:value-of select="$f/@href"/>/original</xsl:attribute></xsl:if>
        <xsl:value-of select="i:t('audio.download')"/>
      </a>
    </section>
    <section class="panel">
      <h2><xsl:value-of select="i:t('audio.edit_title')"/></h2>
      <form method="post" action="{$f/@href}" id="audio-edit-form">
        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
        <div class="form-grid">
          <xsl:call-template name="common-fields">
            <xsl:with-param name="form" select="edit"/>
            <xsl:with-param name="p" select="'f-'"/>
            <xsl:with-param name="e" select="'err-'"/>
            <xsl:with-param name="name_required" select="true()"/>
          </xsl:call-template>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="audio-save"><xsl:value-of select="i:t('audio.save')"/></button>
          <a class="btn btn-quiet" href="{@base}"><xsl:value-of select="i:t('audio.cancel')"/></a>
        </div>
      </form>
      <form method="post" action="{$f/@delete}" class="audio-delete form-delete" id="audio-delete"
            data-confirm="{i:t('audio.confirm_delete')}">
        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
        <button type="submit" class="btn btn-warn" id="audio-delete-btn"><xsl:value-of select="i:t('audio.delete')"/></button>
      </form>
    </section>
  </xsl:template>

  <!-- ==== formatting ======================================================= -->
  <!-- The format of the current <file>: codec, bits, rate, channels. -->
  <xsl:template name="format">
    <xsl:choose>
      <xsl:when test="string(@codec)">
        <xsl:value-of select="i:t(concat('audio.codec.', @codec))"/>
        <xsl:if test="@codec = 'pcm'">
          <xsl:text> </xsl:text>
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('audio.bits')"/>
            <xsl:with-param name="value" select="@bits"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:text> · </xsl:text>
        <xsl:value-of select="format-number(@sample_rate div 1000, '0.###')"/>
        <xsl:text> kHz · </xsl:text>
        <xsl:choose>
          <xsl:when test="@channels = 1"><xsl:value-of select="i:t('audio.mono')"/></xsl:when>
          <xsl:when test="@channels = 2"><xsl:value-of select="i:t('audio.stereo')"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="fill">
              <xsl:with-param name="text" select="i:t('audio.channels')"/>
              <xsl:with-param name="value" select="@channels"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><span class="muted">—</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- m:ss.s from milliseconds. -->
  <xsl:template name="ms">
    <xsl:param name="ms"/>
    <xsl:choose>
      <xsl:when test="string($ms) = '' or $ms = 0">—</xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="floor($ms div 60000)"/>
        <xsl:text>:</xsl:text>
        <xsl:value-of select="format-number(($ms mod 60000) div 1000, '00.0')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="bytes">
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="string($n) = '' or $n = 0">—</xsl:when>
      <xsl:when test="$n &gt;= 1048576"><xsl:value-of select="format-number($n div 1048576, '0.0')"/> MB</xsl:when>
      <xsl:when test="$n &gt;= 1024"><xsl:value-of select="format-number($n div 1024, '0')"/> KB</xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/> B</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
